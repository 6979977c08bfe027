package opstest_test

import (
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

func init() {
	ops.Register(&ops.Op{
		Name: "_ot_double",
		InferShape: func(_ any, in, out []ops.Shape) error {
			out[0] = in[0]
			return nil
		},
		Forward: func(_ *ops.Ctx, _ any, in, out []*tensor.Tensor) error {
			for i, v := range in[0].Float32s() {
				out[0].Float32s()[i] = 2 * v
			}
			return nil
		},
	})
}

func TestRun(t *testing.T) {
	x, err := tensor.FromSlice([]float32{1, -2, 3}, 3)
	if err != nil {
		t.Fatal(err)
	}
	out, err := opstest.Run("_ot_double", nil, []*tensor.Tensor{x}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := out[0].Float32s(); got[0] != 2 || got[1] != -4 || got[2] != 6 {
		t.Fatalf("got %v", got)
	}
	if _, err := opstest.Run("_ot_double", nil, nil, nil); err == nil || !strings.Contains(err.Error(), "takes 1 inputs") {
		t.Fatalf("wrong arity error: %v", err)
	}
	if _, err := opstest.Run("NoSuchOp", nil, nil, nil); err == nil {
		t.Fatal("unknown op accepted")
	}
}
