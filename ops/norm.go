package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/tensor"
)

// BatchNormParam is BatchNorm's parameters [src/operator/nn/batch_norm-inl.h].
// The eps default is the float literal 1e-3f widened to double, as in MXNet.
type BatchNormParam struct {
	Eps            float64           `mx:"eps" default:"0.0010000000474974513"`
	Momentum       float32           `mx:"momentum" default:"0.9"`
	FixGamma       bool              `mx:"fix_gamma" default:"true"`
	UseGlobalStats bool              `mx:"use_global_stats"`
	OutputMeanVar  bool              `mx:"output_mean_var"`
	Axis           int               `mx:"axis" default:"1"`
	CudnnOff       bool              `mx:"cudnn_off"`
	MinCalibRange  Optional[float32] `mx:"min_calib_range"`
	MaxCalibRange  Optional[float32] `mx:"max_calib_range"`
}

// LayerNormParam is LayerNorm's parameters [src/operator/nn/layer_norm-inl.h].
type LayerNormParam struct {
	Axis          int     `mx:"axis" default:"-1"`
	Eps           float32 `mx:"eps" default:"1e-5"`
	OutputMeanVar bool    `mx:"output_mean_var"`
}

func init() {
	Register(&Op{
		Name:      "BatchNorm",
		PerSample: perSampleAlways,
		Aliases:   []string{"_npx_batch_norm"},
		Params:    NewParams[BatchNormParam](),
		InputNames: func(any) []string {
			return []string{"data", "gamma", "beta", "moving_mean", "moving_var"}
		},
		AuxInputs:  func(any) []int { return []int{3, 4} },
		NumOutputs: func(any) int { return 3 },
		NumVisibleOutputs: func(params any) int {
			if params.(*BatchNormParam).OutputMeanVar {
				return 3
			}
			return 1
		},
		OutputNames: outputNames("output", "mean", "var"),
		InputVarAttrs: func(_ any, input int) map[string]string {
			switch input {
			case 3:
				return map[string]string{"__init__": `["zero", {}]`}
			case 4:
				return map[string]string{"__init__": `["one", {}]`}
			}
			return nil
		},
		InferShape: func(params any, in, out []Shape) error {
			return channelNormShape(params.(*BatchNormParam).Axis, in, out, false)
		},
		InferType: batchNormType,
		InPlace:   inPlace00,
		Supports:  float32Kernel,
		Forward:   batchNormForward,
		Backward:  batchNormBackward,
	})
	Register(&Op{
		Name: "LayerNorm",
		PerSample: func(params any, in []Shape) bool {
			return notBatchAxis(params.(*LayerNormParam).Axis, firstNDim(in))
		},
		Params: NewParams[LayerNormParam](),
		InputNames: func(any) []string {
			return []string{"data", "gamma", "beta"}
		},
		NumOutputs: func(any) int { return 3 },
		NumVisibleOutputs: func(params any) int {
			if params.(*LayerNormParam).OutputMeanVar {
				return 3
			}
			return 1
		},
		OutputNames: outputNames("output", "mean", "std"),
		InferShape: func(params any, in, out []Shape) error {
			return channelNormShape(params.(*LayerNormParam).Axis, in, out, true)
		},
		InferType: SameType,
		Supports:  float32Kernel,
		Forward:   layerNormForward,
		Backward:  layerNormBackward,
	})
}

// channelNormShape is BatchNormShape (moments=false) and LayerNormShape
// (moments=true): every parameter input is (C,) with C = data.shape[axis];
// output 0 is the data shape; the other outputs are (C,) for BatchNorm and
// the data shape with axis set to 1 for LayerNorm.
func channelNormShape(axis int, in, out []Shape, moments bool) error {
	d := in[0]
	if d == nil {
		return nil
	}
	a, err := normAxis(axis, len(d), "channel axis")
	if err != nil {
		return err
	}
	c := Shape{d[a]}
	names := []string{"data", "gamma", "beta", "moving_mean", "moving_var"}
	for i := 1; i < len(in); i++ {
		if err := assignShape(&in[i], c, names[i]); err != nil {
			return err
		}
	}
	if err := assignShape(&out[0], d, "output"); err != nil {
		return err
	}
	m := c
	if moments {
		m = cloneShape(d)
		m[a] = 1
	}
	for i := 1; i < len(out); i++ {
		if err := assignShape(&out[i], m, "output"); err != nil {
			return err
		}
	}
	return nil
}

// batchNormType follows BatchNormType: the output has the data dtype; the
// parameters, moving statistics and the mean/var outputs use the
// accumulation type (float32 for float16/bfloat16/float32 data, float64 for
// float64 data). The data dtype may come back from the output.
func batchNormType(_ any, in, out []tensor.DType) error {
	dt := in[0]
	if dt == UnknownType {
		if out[0] == UnknownType {
			return nil
		}
		dt = out[0]
		in[0] = dt
	}
	var acc tensor.DType
	switch dt {
	case tensor.Float16, tensor.BFloat16, tensor.Float32:
		acc = tensor.Float32
	case tensor.Float64:
		acc = tensor.Float64
	default:
		return fmt.Errorf("data dtype %s is not a floating-point type", dt)
	}
	names := []string{"data", "gamma", "beta", "moving_mean", "moving_var"}
	for i := 1; i < len(in); i++ {
		if err := assignType(&in[i], acc, names[i]); err != nil {
			return err
		}
	}
	if err := assignType(&out[0], dt, "output"); err != nil {
		return err
	}
	for i := 1; i < len(out); i++ {
		if err := assignType(&out[i], acc, "output"); err != nil {
			return err
		}
	}
	return nil
}
