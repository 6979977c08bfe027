package ops

import "fmt"

// DropoutMode is Dropout's mode.
type DropoutMode int

// Dropout modes: DropoutTraining drops only in training passes,
// DropoutAlways also at inference.
const (
	DropoutTraining DropoutMode = iota
	DropoutAlways
)

// DropoutParam is Dropout's parameters [src/operator/nn/dropout-inl.h].
type DropoutParam struct {
	P        float32        `mx:"p" default:"0.5" min:"0" max:"1"`
	Mode     DropoutMode    `mx:"mode" default:"training" enum:"training,always"`
	Axes     []int          `mx:"axes" default:"()"`
	CudnnOff Optional[bool] `mx:"cudnn_off" default:"False"`
}

func init() {
	Register(&Op{
		Name:              "Dropout",
		PerSample:         perSampleAlways,
		Supports:          float32Data,
		Aliases:           []string{"_npx_dropout"},
		Params:            NewParams[DropoutParam](),
		NumOutputs:        func(any) int { return 2 },
		NumVisibleOutputs: func(any) int { return 1 },
		OutputNames:       outputNames("output", "mask"),
		InferShape:        dropoutShape,
		InferType:         SameType,
		InPlace:           inPlace00,
		Forward:           dropoutForward,
		Backward:          dropoutBackward,
	})
}

// dropoutShape follows DropoutShape: the output has the data shape; the
// mask too, with the variational-dropout axes set to 1.
func dropoutShape(params any, in, out []Shape) error {
	p := params.(*DropoutParam)
	d := in[0]
	if d == nil {
		return nil
	}
	if err := assignShape(&out[0], d, "output"); err != nil {
		return err
	}
	if len(out) < 2 {
		return nil
	}
	m := cloneShape(d)
	for _, a := range p.Axes {
		if a < 0 || a >= len(m) {
			return fmt.Errorf("axes entry %d out of range for %d-d input", a, len(m))
		}
		m[a] = 1
	}
	return assignShape(&out[1], m, "mask")
}
