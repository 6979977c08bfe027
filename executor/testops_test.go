package executor

import (
	"fmt"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// Test-only operators, so the executor is tested independently of the real
// kernels: a dense layer, an in-place ReLU, a binary add, an op that needs
// scratch, a loss head with an unused label, and an op with an aux input.

type testFCParam struct {
	NumHidden int `mx:"num_hidden" required:"" min:"1"`
}

var testFCParams = ops.NewParams[testFCParam]()

func init() {
	ops.Register(&ops.Op{
		Name:       "_xt_fc",
		Params:     testFCParams,
		InputNames: func(any) []string { return []string{"data", "weight"} },
		InferShape: func(params any, in, out []ops.Shape) error {
			p := params.(*testFCParam)
			if in[0] == nil {
				return nil
			}
			w := ops.Shape{p.NumHidden, in[0][1]}
			m, ok := ops.MergeShape(in[1], w)
			if !ok {
				return fmt.Errorf("weight %s, want %s", ops.ShapeString(in[1]), ops.ShapeString(w))
			}
			in[1] = m
			out[0] = ops.Shape{in[0][0], p.NumHidden}
			return nil
		},
		Forward: func(_ *ops.Ctx, params any, in, out []*tensor.Tensor) error {
			x, w, y := in[0].Float32s(), in[1].Float32s(), out[0].Float32s()
			n, k, h := in[0].Dim(0), in[0].Dim(1), params.(*testFCParam).NumHidden
			for i := range n {
				for j := range h {
					var s float32
					for l := range k {
						s += x[i*k+l] * w[j*k+l]
					}
					y[i*h+j] = s
				}
			}
			return nil
		},
	})
	same := func(_ any, in, out []ops.Shape) error {
		if in[0] != nil {
			out[0] = in[0]
		}
		return nil
	}
	// An op mxgo can load but not run.
	ops.Register(&ops.Op{Name: "_xt_nokernel"})
	ops.Register(&ops.Op{
		Name:       "_xt_relu",
		InferShape: same,
		InPlace:    func(any) [][2]int { return [][2]int{{0, 0}} },
		Forward: func(_ *ops.Ctx, _ any, in, out []*tensor.Tensor) error {
			x, y := in[0].Float32s(), out[0].Float32s()
			for i, v := range x {
				y[i] = max(v, 0)
			}
			return nil
		},
	})
	ops.Register(&ops.Op{
		Name:       "_xt_add",
		InputNames: func(any) []string { return []string{"lhs", "rhs"} },
		InferShape: func(_ any, in, out []ops.Shape) error {
			if in[0] != nil {
				out[0] = in[0]
				in[1] = in[0]
			}
			return nil
		},
		InPlace: func(any) [][2]int { return [][2]int{{0, 0}, {1, 0}} },
		Forward: func(_ *ops.Ctx, _ any, in, out []*tensor.Tensor) error {
			a, b, y := in[0].Float32s(), in[1].Float32s(), out[0].Float32s()
			for i := range y {
				y[i] = a[i] + b[i]
			}
			return nil
		},
	})
	ops.Register(&ops.Op{
		Name:       "_xt_scratch",
		InferShape: same,
		Workspace:  func(_ any, in []ops.Shape) int { n, _ := tensor.NumElements(in[0], 4); return n },
		Forward: func(ctx *ops.Ctx, _ any, in, out []*tensor.Tensor) error {
			x, y := in[0].Float32s(), out[0].Float32s()
			if len(ctx.Scratch) < len(x) {
				return fmt.Errorf("scratch %d < %d", len(ctx.Scratch), len(x))
			}
			for i, v := range x {
				ctx.Scratch[i] = 3 * v
			}
			copy(y, ctx.Scratch)
			return nil
		},
	})
	ops.Register(&ops.Op{
		Name:       "_xt_loss",
		InputNames: func(any) []string { return []string{"data", "label"} },
		InferShape: func(_ any, in, out []ops.Shape) error {
			if in[0] != nil {
				out[0] = in[0]
				in[1] = ops.Shape{in[0][0]}
			}
			return nil
		},
		Forward: func(_ *ops.Ctx, _ any, in, out []*tensor.Tensor) error {
			if in[1] != nil {
				return fmt.Errorf("label must not be bound at inference")
			}
			copy(out[0].Float32s(), in[0].Float32s())
			return nil
		},
	})
	ops.Register(&ops.Op{
		Name:              "_xt_shift",
		InputNames:        func(any) []string { return []string{"data", "moving"} },
		AuxInputs:         func(any) []int { return []int{1} },
		NumOutputs:        func(any) int { return 2 }, // a hidden second output
		NumVisibleOutputs: func(any) int { return 1 },
		InferShape: func(_ any, in, out []ops.Shape) error {
			if in[0] != nil {
				out[0], out[1] = in[0], ops.Shape{in[0][1]}
				in[1] = ops.Shape{in[0][1]}
			}
			return nil
		},
		Forward: func(_ *ops.Ctx, _ any, in, out []*tensor.Tensor) error {
			x, m, y := in[0].Float32s(), in[1].Float32s(), out[0].Float32s()
			c := len(m)
			for i, v := range x {
				y[i] = v + m[i%c]
			}
			copy(out[1].Float32s(), m)
			return nil
		},
	})
}
