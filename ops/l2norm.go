package ops

import "fmt"

// L2Normalization modes (MXNet's enum values).
const (
	L2Instance = 0
	L2Channel  = 1
	L2Spatial  = 2
)

// L2NormalizationParam is L2Normalization's parameters
// [src/operator/l2_normalization-inl.h].
type L2NormalizationParam struct {
	Eps  float32 `mx:"eps" default:"1e-10"`
	Mode int     `mx:"mode" default:"instance" enum:"instance=0,spatial=2,channel=1"`
}

func init() {
	Register(&Op{
		Name:              "L2Normalization",
		PerSample:         perSampleAlways,
		Params:            NewParams[L2NormalizationParam](),
		NumOutputs:        func(any) int { return 2 },
		NumVisibleOutputs: func(any) int { return 1 },
		OutputNames:       outputNames("output", "norm"),
		InferShape:        l2NormShape,
		InferType:         SameType,
		Supports:          float32Kernel,
		Forward:           l2NormForward,
	})
}

// l2NormShape follows L2NormalizationProp::InferShape: the output has the
// data's shape; the hidden norm is (N,) for instance, the data shape with
// dim 1 set to 1 for channel, and (N, C) for spatial (both need 3-D+).
func l2NormShape(params any, in, out []Shape) error {
	p := params.(*L2NormalizationParam)
	d := in[0]
	if d == nil {
		if out[0] != nil {
			in[0] = cloneShape(out[0])
			d = in[0]
		} else {
			return nil
		}
	}
	if len(d) == 0 {
		return fmt.Errorf("data must have at least 1 dim")
	}
	if p.Mode != L2Instance && len(d) < 3 {
		return fmt.Errorf("data %s: mode %s needs at least 3 dims", ShapeString(d), l2ModeName(p.Mode))
	}
	if err := assignShape(&out[0], d, "output"); err != nil {
		return err
	}
	var norm Shape
	switch p.Mode {
	case L2Instance:
		norm = Shape{d[0]}
	case L2Channel:
		norm = cloneShape(d)
		norm[1] = 1
	default:
		norm = Shape{d[0], d[1]}
	}
	return assignShape(&out[1], norm, "norm")
}

func l2ModeName(m int) string {
	return map[int]string{L2Instance: "instance", L2Channel: "channel", L2Spatial: "spatial"}[m]
}
