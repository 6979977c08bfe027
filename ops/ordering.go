package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// TopK return types (TopKParam.RetTyp).
const (
	TopKValue = iota
	TopKIndices
	TopKMask
	TopKBoth
)

// TopKParam is topk's parameters [src/operator/tensor/ordering_op-inl.h].
type TopKParam struct {
	Axis     Optional[int] `mx:"axis" default:"-1"`
	K        int           `mx:"k" default:"1"`
	RetTyp   int           `mx:"ret_typ" default:"indices" enum:"value,indices,mask,both"`
	IsAscend bool          `mx:"is_ascend"`
	DType    tensor.DType  `mx:"dtype" default:"float32" enum:"uint8,int32,int64,float16,float32,float64"`
}

// SortParam is sort's parameters.
type SortParam struct {
	Axis     Optional[int] `mx:"axis" default:"-1"`
	IsAscend bool          `mx:"is_ascend" default:"true"`
}

// ArgSortParam is argsort's parameters.
type ArgSortParam struct {
	Axis     Optional[int] `mx:"axis" default:"-1"`
	IsAscend bool          `mx:"is_ascend" default:"true"`
	DType    tensor.DType  `mx:"dtype" default:"float32" enum:"uint8,int32,int64,float16,float32,float64"`
}

// indexDType is MXNet's index_t as a dtype: int32 in the 1.9.1 pip builds
// (MXNET_USE_INT64_TENSOR_SIZE off). It types the hidden index output of
// sort and of topk with ret_typ "value".
const indexDType = tensor.Int32

func init() {
	Register(&Op{
		Name:    "topk",
		Aliases: []string{"_npx_topk"},
		Params:  NewParams[TopKParam](),
		NumOutputs: func(params any) int {
			if r := params.(*TopKParam).RetTyp; r == TopKIndices || r == TopKMask {
				return 1
			}
			return 2
		},
		NumVisibleOutputs: func(params any) int {
			if params.(*TopKParam).RetTyp == TopKBoth {
				return 2
			}
			return 1
		},
		InferShape: func(params any, in, out []Shape) error { return topkShape(params.(*TopKParam), in, out) },
		InferType:  topkType,
		Workspace:  func(params any, in []Shape) int { return topkWorkspace(params.(*TopKParam), in) },
		Supports:   float32Data,
		Forward:    topkForward,
	})
	Register(&Op{
		Name:              "sort",
		Aliases:           []string{"_npi_sort"},
		Params:            NewParams[SortParam](),
		NumOutputs:        func(any) int { return 2 },
		NumVisibleOutputs: func(any) int { return 1 },
		InferShape: func(params any, in, out []Shape) error {
			p := sortAsTopK(params)
			return topkShape(&p, in, out)
		},
		InferType: func(params any, in, out []tensor.DType) error {
			p := sortAsTopK(params)
			return topkType(&p, in, out)
		},
		Workspace: func(params any, in []Shape) int {
			p := sortAsTopK(params)
			return topkWorkspace(&p, in)
		},
		Supports: float32Data,
		Forward: func(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
			p := sortAsTopK(params)
			return topkRun(ctx, &p, in, out)
		},
	})
	Register(&Op{
		Name:    "argsort",
		Aliases: []string{"_npi_argsort"},
		Params:  NewParams[ArgSortParam](),
		InferShape: func(params any, in, out []Shape) error {
			p := sortAsTopK(params)
			return topkShape(&p, in, out)
		},
		InferType: func(params any, in, out []tensor.DType) error {
			// ArgSortType: only the output is typed; the data may be anything.
			return assignType(&out[0], params.(*ArgSortParam).DType, "output")
		},
		Workspace: func(params any, in []Shape) int {
			p := sortAsTopK(params)
			return topkWorkspace(&p, in)
		},
		Supports: float32Data,
		Forward: func(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
			p := sortAsTopK(params)
			return topkRun(ctx, &p, in, out)
		},
	})
}

// sortAsTopK is the TopKParam sort and argsort run with: k = 0 (every
// element), ret_typ value (sort) or indices (argsort).
func sortAsTopK(params any) TopKParam {
	switch p := params.(type) {
	case *SortParam:
		return TopKParam{Axis: p.Axis, K: 0, RetTyp: TopKValue, IsAscend: p.IsAscend, DType: indexDType}
	case *ArgSortParam:
		return TopKParam{Axis: p.Axis, K: 0, RetTyp: TopKIndices, IsAscend: p.IsAscend, DType: p.DType}
	}
	panic(fmt.Sprintf("ops: sortAsTopK(%T)", params))
}

// topkGeom is ParseTopKParam: the sorted axis (-1 for the flattened input),
// the number of rows sorted, their length n, k and the output shape.
type topkGeom struct {
	axis, rows, n, k, inner int
	target                  Shape
}

func parseTopK(p *TopKParam, s Shape) (topkGeom, error) {
	g, err := topkDims(p, s)
	if err != nil {
		return g, err
	}
	switch {
	case p.RetTyp == TopKMask:
		g.target = cloneShape(s)
	case g.axis < 0:
		g.target = Shape{g.k}
	default:
		g.target = cloneShape(s)
		g.target[g.axis] = g.k
	}
	return g, nil
}

// topkDims is parseTopK without the output shape (it does not allocate).
func topkDims(p *TopKParam, s Shape) (topkGeom, error) {
	var g topkGeom
	size := prod(s)
	if !p.Axis.Set {
		g.axis, g.rows, g.n, g.inner = -1, 1, size, 1
	} else {
		a, err := normAxis(p.Axis.Value, len(s), "axis")
		if err != nil {
			return g, err
		}
		g.axis, g.n = a, s[a]
		g.rows, g.inner = 0, 1
		if g.n != 0 {
			g.rows = size / g.n
		}
		for _, d := range s[a+1:] {
			g.inner *= d
		}
	}
	g.k = p.K
	if p.K <= 0 {
		g.k = g.n
	}
	if g.n > math.MaxInt32 {
		return g, fmt.Errorf("%d elements to sort exceed index_t's range", g.n)
	}
	if g.k < 0 || g.k > g.n {
		return g, fmt.Errorf("k must be smaller than %d, got k = %d", g.n, g.k)
	}
	return g, nil
}

// topkShape is TopKShapeImpl (forward only; the input must be known).
func topkShape(p *TopKParam, in, out []Shape) error {
	if !ShapeKnown(in[0]) {
		return nil
	}
	g, err := parseTopK(p, in[0])
	if err != nil {
		return err
	}
	for i := range out {
		if err := assignShape(&out[i], g.target, fmt.Sprintf("output %d", i)); err != nil {
			return err
		}
	}
	return nil
}

// topkType is TopKType (and SortType): values and masks have the data's
// dtype, indices the dtype attribute (index_t for the hidden output of
// ret_typ value).
func topkType(params any, in, out []tensor.DType) error {
	p := params.(*TopKParam)
	if len(out) > 1 {
		want := p.DType
		if p.RetTyp == TopKValue {
			want = indexDType
		}
		if err := assignType(&out[1], want, "indices"); err != nil {
			return err
		}
	}
	if p.RetTyp == TopKIndices {
		return assignType(&out[0], p.DType, "indices")
	}
	if err := assignType(&out[0], in[0], "output"); err != nil {
		return err
	}
	return assignType(&in[0], out[0], "data")
}
