package ops

import "github.com/mxgo/mxgo/tensor"

// SoftmaxParam is softmax's and log_softmax's parameters
// [src/operator/nn/softmax-inl.h].
type SoftmaxParam struct {
	Axis        int                    `mx:"axis" default:"-1"`
	Temperature Optional[float64]      `mx:"temperature"`
	DType       Optional[tensor.DType] `mx:"dtype" enum:"float16,float32,float64"`
	UseLength   Optional[bool]         `mx:"use_length" default:"False"`
}

// SoftmaxActivationMode is SoftmaxActivation's mode.
type SoftmaxActivationMode int

// SoftmaxActivation modes.
const (
	SoftmaxInstance SoftmaxActivationMode = iota
	SoftmaxChannel
)

// SoftmaxActivationParam is SoftmaxActivation's parameters
// [src/operator/nn/softmax_activation-inl.h].
type SoftmaxActivationParam struct {
	Mode SoftmaxActivationMode `mx:"mode" default:"instance" enum:"instance,channel"`
}

func init() {
	softmaxParams := NewParams[SoftmaxParam]()
	for _, name := range []string{"softmax", "log_softmax"} {
		Register(&Op{
			Name: name,
			PerSample: func(params any, in []Shape) bool {
				return notBatchAxis(params.(*SoftmaxParam).Axis, firstNDim(in))
			},
			Aliases: []string{"_npx_" + name},
			Params:  softmaxParams,
			InputNames: func(params any) []string {
				if params.(*SoftmaxParam).UseLength.Get(false) {
					return []string{"data", "length"}
				}
				return []string{"data"}
			},
			OutputNames: outputNames("output"),
			InferShape:  softmaxShape,
			InferType:   softmaxType,
			Forward:     softmaxForward(name == "log_softmax"),
			Backward:    softmaxBackward(name == "log_softmax"),
		})
	}
	Register(&Op{
		Name:        "SoftmaxActivation",
		PerSample:   perSampleAlways,
		Supports:    float32Data,
		Params:      NewParams[SoftmaxActivationParam](),
		OutputNames: outputNames("output"),
		InferShape:  sameShape,
		InferType:   SameType,
		InPlace:     inPlace00,
		Forward:     softmaxActivationForward,
	})
}

// softmaxShape follows SoftmaxOpShape: the output has the data's shape;
// with use_length the length input has the data shape without axis ((1,)
// for 1-D data).
func softmaxShape(params any, in, out []Shape) error {
	p := params.(*SoftmaxParam)
	if err := sameShapeAsInput0(nil, in, out); err != nil {
		return err
	}
	d := in[0]
	if d == nil {
		return nil
	}
	// SoftmaxCompute's CheckAxis, moved to shape inference.
	axis, err := normAxis(p.Axis, len(d), "axis")
	if err != nil {
		return err
	}
	if !p.UseLength.Get(false) {
		return nil
	}
	l := Shape{1}
	if len(d) > 1 {
		l = append(cloneShape(d[:axis]), d[axis+1:]...)
	}
	return assignShape(&in[1], l, "length")
}

// softmaxType follows SoftmaxOpType: the output dtype is the dtype
// parameter when given, else the data's; the length input is unconstrained.
func softmaxType(params any, in, out []tensor.DType) error {
	p := params.(*SoftmaxParam)
	if p.DType.Set {
		if err := assignType(&out[0], p.DType.Value, "output"); err != nil {
			return err
		}
		if in[0] == UnknownType {
			in[0] = out[0]
		}
		return nil
	}
	return SameType(nil, in[:1], out)
}
