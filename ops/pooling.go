package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// PoolType is Pooling's pool_type.
type PoolType int

// Pooling kinds.
const (
	PoolMax PoolType = iota
	PoolAvg
	PoolSum
	PoolLp
)

// PoolingConvention is Pooling's pooling_convention.
type PoolingConvention int

// Output size rules: floor (valid), ceil (full) and same.
const (
	PoolValid PoolingConvention = iota
	PoolFull
	PoolSame
)

// PoolingParam is Pooling's parameters [src/operator/nn/pooling-inl.h].
// After parsing, Stride and Pad have one entry per kernel dim
// (PoolingParamParser).
type PoolingParam struct {
	Kernel            []int             `mx:"kernel" default:"()"`
	PoolType          PoolType          `mx:"pool_type" default:"max" enum:"max,avg,sum,lp"`
	GlobalPool        bool              `mx:"global_pool"`
	CudnnOff          bool              `mx:"cudnn_off"`
	PoolingConvention PoolingConvention `mx:"pooling_convention" default:"valid" enum:"valid,full,same"`
	Stride            []int             `mx:"stride" default:"()"`
	Pad               []int             `mx:"pad" default:"()"`
	PValue            Optional[int]     `mx:"p_value"`
	CountIncludePad   Optional[bool]    `mx:"count_include_pad"`
	Layout            Optional[Layout]  `mx:"layout" enum:"NCW,NCHW,NCDHW,NWC,NHWC,NDHWC"`
	OutputSize        Optional[[]int]   `mx:"output_size"`
}

var poolingParams = NewParams[PoolingParam]()

func init() {
	Register(&Op{
		Name:      "Pooling",
		PerSample: perSampleAlways,
		Supports:  float32Kernel,
		Aliases:   []string{"_npx_pooling"},
		Params:    poolingParams,
		Parse:     parsePooling,
		NumOutputs: func(params any) int {
			if poolingWorkspace(params.(*PoolingParam)) {
				return 2
			}
			return 1
		},
		NativeOutputs:     func(any) int { return 1 },
		NumVisibleOutputs: func(any) int { return 1 },
		OutputNames:       outputNames("output", "workspace"), // workspace only with oneDNN
		InferShape:        poolingShape,
		Forward:           poolingForward,
		Backward:          poolingBackward,
		InferType: func(params any, in, out []tensor.DType) error {
			if err := SameType(nil, in, out[:1]); err != nil {
				return err
			}
			if len(out) > 1 {
				return assignType(&out[1], tensor.Int32, "workspace")
			}
			return nil
		},
	})
}

// parsePooling is PoolingParamParser: stride defaults to 1s and pad to 0s
// for the kernel's rank; only 1-3 kernel dims (or a global pool).
func parsePooling(attrs map[string]string) (any, error) {
	p, err := poolingParams.Parse(attrs)
	if err != nil {
		return nil, err
	}
	k := len(p.Kernel)
	if k < 1 || k > 3 {
		if !p.GlobalPool && !p.OutputSize.Set {
			return nil, fmt.Errorf("%d-D pooling not supported", k)
		}
		// The kernel is ignored; MXNet fills 3-D defaults.
		if len(p.Stride) == 0 {
			p.Stride = []int{1, 1, 1}
		}
		if len(p.Pad) == 0 {
			p.Pad = []int{0, 0, 0}
		}
		return p, p.validate()
	}
	if p.Stride, err = fillSpatial(p.Stride, k, 1, "stride"); err != nil {
		return nil, err
	}
	if p.Pad, err = fillSpatial(p.Pad, k, 0, "pad"); err != nil {
		return nil, err
	}
	return p, p.validate()
}

// validate is Pooling's attribute checks: p_value 1, 2 or 3 for lp pooling
// (pool.h supports no other); for a windowed (not global, not adaptive)
// pooling kernel and stride positive, pad non-negative and smaller than the
// kernel (the oneDNN build's CHECK_LT(pad, kernel)); adaptive output_size
// positive; every entry below 2^31 so the shape arithmetic cannot overflow.
func (p *PoolingParam) validate() error {
	if p.PoolType == PoolLp {
		if !p.PValue.Set {
			return fmt.Errorf("lp pooling needs p_value")
		}
		if v := p.PValue.Value; v < 1 || v > 3 {
			return fmt.Errorf("p_value %d not supported (lp pooling supports 1, 2 or 3)", v)
		}
	}
	if p.OutputSize.Set {
		return checkRange(p.OutputSize.Value, 1, maxAttrDim, "output_size")
	}
	if p.GlobalPool {
		return nil
	}
	k := len(p.Kernel)
	if k < 1 || k > 3 {
		return fmt.Errorf("kernel %s: %d-D pooling not supported", ShapeString(p.Kernel), k)
	}
	if len(p.Stride) != k || len(p.Pad) != k {
		return fmt.Errorf("stride %s and pad %s must have one entry per kernel dim %s",
			ShapeString(p.Stride), ShapeString(p.Pad), ShapeString(p.Kernel))
	}
	if err := checkRange(p.Kernel, 1, maxAttrDim, "kernel"); err != nil {
		return err
	}
	if err := checkRange(p.Stride, 1, maxAttrDim, "stride"); err != nil {
		return err
	}
	if err := checkRange(p.Pad, 0, maxAttrDim, "pad"); err != nil {
		return err
	}
	for i, pad := range p.Pad {
		if pad >= p.Kernel[i] {
			return fmt.Errorf("pad %s must be smaller than kernel %s", ShapeString(p.Pad), ShapeString(p.Kernel))
		}
	}
	return nil
}

// poolingWorkspace reports whether the oneDNN build (MXNet 1.9.1 pip) gives
// Pooling its hidden workspace output: max pooling with a 1-3-D kernel in
// a channel-first (or unset) layout, not adaptive.
func poolingWorkspace(p *PoolingParam) bool {
	k := len(p.Kernel)
	return p.PoolType == PoolMax && !p.OutputSize.Set && k >= 1 && k <= 3 &&
		(!p.Layout.Set || !p.Layout.Value.ChannelLast())
}

// poolingLayout returns the layout pooling uses for data of ndim dims.
func poolingLayout(p *PoolingParam, ndim int) Layout {
	if p.Layout.Set {
		return p.Layout.Value
	}
	return defaultLayout(ndim - 2)
}

// poolOutDim is one output spatial dim of a non-global pooling window:
// valid ⌊(in+2p−k)/s⌋+1, full ⌈(in+2p−k)/s⌉+1 (computed in float32 as
// MXNet does), same ⌈(in+2p)/s⌉.
func poolOutDim(conv PoolingConvention, in, k, pad, stride int) int {
	switch conv {
	case PoolFull:
		return 1 + int(math.Ceil(float64(float32(in+2*pad-k)/float32(stride))))
	case PoolSame:
		return int(math.Ceil(float64(float32(in+2*pad) / float32(stride))))
	}
	return 1 + (in+2*pad-k)/stride
}

// poolingShape follows PoolingShape: global pooling sets every spatial dim
// to 1; otherwise each spatial dim follows poolOutDim, after checking the
// kernel fits the padded input. The hidden workspace has the output shape.
func poolingShape(params any, in, out []Shape) error {
	p := params.(*PoolingParam)
	if err := p.validate(); err != nil {
		return err
	}
	d := in[0]
	if d == nil {
		return nil
	}
	if len(d) < 3 || len(d) > 5 {
		return fmt.Errorf("data %s must be 3-D, 4-D or 5-D", ShapeString(d))
	}
	l := poolingLayout(p, len(d))
	if l.SpatialDims() != len(d)-2 {
		return fmt.Errorf("layout %s does not match %d-D data", l, len(d))
	}
	n := toNC(d, l)
	o := cloneShape(n)
	switch {
	case p.GlobalPool:
		for i := 2; i < len(o); i++ {
			o[i] = 1
		}
	case p.OutputSize.Set:
		size := p.OutputSize.Value
		switch len(size) {
		case 1:
			for i := 2; i < len(o); i++ {
				o[i] = size[0]
			}
		case len(o) - 2:
			copy(o[2:], size)
		default:
			return fmt.Errorf("output_size %s does not match %d-D data", ShapeString(size), len(d))
		}
	default:
		k := len(p.Kernel)
		if k == 0 {
			return nil
		}
		if len(d) != k+2 {
			return fmt.Errorf("data %s must be %d-D for a %d-D kernel", ShapeString(d), k+2, k)
		}
		if p.PoolingConvention == PoolSame {
			if k != 1 {
				return fmt.Errorf("pooling_convention same supports only 1-D pooling")
			}
			if p.Pad[0] != 0 {
				return fmt.Errorf("pooling_convention same does not allow pad")
			}
		}
		for i := 0; i < k; i++ {
			x := n[2+i]
			if x < 0 {
				continue
			}
			padded, err := addDim(x, 2*p.Pad[i])
			if err != nil {
				return err
			}
			if p.Kernel[i] > padded {
				return fmt.Errorf("kernel %s exceeds input %s padded by %s", ShapeString(p.Kernel), ShapeString(d), ShapeString(p.Pad))
			}
			o[2+i] = poolOutDim(p.PoolingConvention, x, p.Kernel[i], p.Pad[i], p.Stride[i])
		}
	}
	o = fromNC(o, l)
	for i := range out {
		if err := assignShape(&out[i], o, "output"); err != nil {
			return err
		}
	}
	return nil
}
