package ops

import "fmt"

// ActType is Activation's act_type.
type ActType int

// Activation functions, in MXNet's enum order. LogSigmoid and Mish exist
// from MXNet 2.0 on; mxgo accepts them in any file.
const (
	ActReLU ActType = iota
	ActSigmoid
	ActTanh
	ActSoftReLU
	ActSoftSign
	ActLogSigmoid
	ActMish
)

// ActivationParam is Activation's parameters [src/operator/nn/activation-inl.h].
type ActivationParam struct {
	ActType ActType `mx:"act_type" required:"" enum:"relu,sigmoid,tanh,softrelu,softsign,log_sigmoid,mish"`
}

// LeakyType is LeakyReLU's act_type.
type LeakyType int

// LeakyReLU variants in MXNet's enum order; GELUErf and GELUTanh are the
// MXNet 2.0 names (GELU is 1.x's gelu, the erf form).
const (
	LeakyRReLU LeakyType = iota
	LeakyLeaky
	LeakyPReLU
	LeakyELU
	LeakySELU
	LeakyGELU
	LeakyGELUErf
	LeakyGELUTanh
)

// LeakyReLUParam is LeakyReLU's parameters [src/operator/leaky_relu-inl.h].
type LeakyReLUParam struct {
	ActType    LeakyType `mx:"act_type" default:"leaky" enum:"rrelu,leaky,prelu,elu,selu,gelu,gelu_erf,gelu_tanh"`
	Slope      float32   `mx:"slope" default:"0.25"`
	LowerBound float32   `mx:"lower_bound" default:"0.125"`
	UpperBound float32   `mx:"upper_bound" default:"0.334"`
}

func init() {
	Register(&Op{
		Name:        "Activation",
		PerSample:   perSampleAlways,
		Aliases:     []string{"_npx_activation"},
		Params:      NewParams[ActivationParam](),
		OutputNames: outputNames("output"),
		InferShape:  sameShape,
		InferType:   SameType,
		InPlace:     inPlace00,
		Supports:    float32Kernel,
		Forward:     activationForward,
		Backward:    activationBackward,
	})
	Register(&Op{
		Name:      "LeakyReLU",
		PerSample: perSampleAlways,
		Params:    NewParams[LeakyReLUParam](),
		InputNames: func(params any) []string {
			if params.(*LeakyReLUParam).ActType == LeakyPReLU {
				return []string{"data", "gamma"}
			}
			return []string{"data"}
		},
		NumOutputs: func(params any) int {
			if params.(*LeakyReLUParam).ActType == LeakyRReLU {
				return 2
			}
			return 1
		},
		OutputNames: outputNames("output", "mask"), // mask only for rrelu
		InputVarAttrs: func(_ any, input int) map[string]string {
			if input == 1 {
				return map[string]string{"__init__": `["Constant", {"value": 0.25}]`}
			}
			return nil
		},
		InferShape: leakyReLUShape,
		InferType:  SameType,
		Supports:   float32Kernel,
		Forward:    leakyReLUForward,
		Backward:   leakyReLUBackward,
	})
}

// leakyReLUShape follows LeakyReLUShape: outputs take the data shape; a
// PReLU gamma of unknown shape becomes (C,) = (data.shape[1],), and a gamma
// of the data's rank must equal the data shape.
func leakyReLUShape(params any, in, out []Shape) error {
	p := params.(*LeakyReLUParam)
	d := in[0]
	if d == nil {
		return nil
	}
	if p.ActType == LeakyPReLU {
		if in[1] == nil {
			if len(d) < 2 {
				return fmt.Errorf("prelu needs data with a channel axis, got %s", ShapeString(d))
			}
			in[1] = Shape{d[1]}
		}
		if len(in[1]) == len(d) {
			if err := assignShape(&in[1], d, "gamma"); err != nil {
				return err
			}
		}
	}
	for i := range out {
		if err := assignShape(&out[i], d, "output"); err != nil {
			return err
		}
	}
	return nil
}

// inPlace00 lets output 0 reuse input 0's storage.
func inPlace00(any) [][2]int { return [][2]int{{0, 0}} }
