package ops

import "fmt"

// UpSamplingType is UpSampling's sample_type.
type UpSamplingType int

// UpSampling kinds.
const (
	UpNearest UpSamplingType = iota
	UpBilinear
)

// UpSamplingParam is UpSampling's parameters [src/operator/nn/upsampling-inl.h].
type UpSamplingParam struct {
	Scale          int            `mx:"scale" required:"" min:"1"`
	NumFilter      int            `mx:"num_filter" default:"0"`
	SampleType     UpSamplingType `mx:"sample_type" required:"" enum:"nearest,bilinear"`
	MultiInputMode int            `mx:"multi_input_mode" default:"concat" enum:"concat,sum"`
	NumArgs        int            `mx:"num_args" required:"" min:"1" max:"65536"`
	Workspace      uint64         `mx:"workspace" default:"512"`
}

func init() {
	Register(&Op{
		Name:          "UpSampling",
		PerSample:     perSampleAlways,
		Supports:      float32Kernel,
		Params:        NewParams[UpSamplingParam](),
		KeyVarNumArgs: "num_args",
		InputNames: func(params any) []string {
			p := params.(*UpSamplingParam)
			if p.SampleType == UpBilinear {
				return []string{"data", "weight"}
			}
			return argNames(p.NumArgs)
		},
		OutputNames: outputNames("output"),
		InputVarAttrs: func(_ any, input int) map[string]string {
			if input == 1 {
				return map[string]string{"__init__": `["bilinear", {}]`}
			}
			return nil
		},
		InferShape:        upSamplingShape,
		InferType:         SameType,
		Forward:           upSamplingForward,
		Workspace:         upSamplingWorkspace,
		WorkspaceShares:   oneShare,
		Backward:          upSamplingBackward,
		BackwardWorkspace: upSamplingWorkspace,
	})
}

// upSamplingShape follows UpSamplingShape. Nearest: every input is NCHW,
// the output spatial size is scale times the first input's and must be a
// multiple of every other input's; channels add up (concat) or must agree
// (sum). Bilinear: weight (C, 1, k, k) with k = 2*scale - scale%2.
func upSamplingShape(params any, in, out []Shape) error {
	p := params.(*UpSamplingParam)
	if p.Scale < 1 || p.Scale > maxAttrDim {
		return fmt.Errorf("scale %d must be in [1, 2^31)", p.Scale)
	}
	if p.SampleType == UpBilinear && len(in) != 2 {
		return fmt.Errorf("bilinear upsampling takes data and weight, got %d inputs", len(in))
	}
	d := in[0]
	if d == nil {
		return nil
	}
	if len(d) != 4 {
		return fmt.Errorf("data %s must be 4-D (batch, channel, y, x)", ShapeString(d))
	}
	o := cloneShape(d)
	for i := 2; i < 4; i++ {
		if d[i] >= 0 {
			v, err := mulDim(d[i], p.Scale)
			if err != nil {
				return fmt.Errorf("scale %d: output size: %w", p.Scale, err)
			}
			o[i] = v
		}
	}
	if p.SampleType == UpBilinear {
		k := 2*p.Scale - p.Scale%2
		if err := assignShape(&in[1], Shape{d[1], 1, k, k}, "weight"); err != nil {
			return err
		}
		return assignShape(&out[0], o, "output")
	}
	for i := 1; i < len(in); i++ {
		s := in[i]
		if !ShapeKnown(s) || !ShapeKnown(o) {
			return nil
		}
		if len(s) != 4 {
			return fmt.Errorf("input %d %s must be 4-D", i, ShapeString(s))
		}
		if s[2] == 0 || s[3] == 0 || o[2]%s[2] != 0 || o[3]%s[3] != 0 {
			return fmt.Errorf("input %d %s does not divide the output size %dx%d", i, ShapeString(s), o[2], o[3])
		}
		if p.MultiInputMode == 1 {
			if s[1] != o[1] {
				return fmt.Errorf("input %d has %d channels, want %d (multi_input_mode sum)", i, s[1], o[1])
			}
		} else {
			c, err := addDim(o[1], s[1])
			if err != nil {
				return err
			}
			o[1] = c
		}
	}
	return assignShape(&out[0], o, "output")
}
