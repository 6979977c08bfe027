package executor

import (
	"context"
	"testing"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/tensor"
)

// TestIndexOpsInAGraph binds the ordering and shape operators into one
// graph (hidden outputs of sort and topk value, topk's workspace, a
// variable-arity stack, an index input consumed by pick) and checks the
// outputs by hand at two batch sizes.
func TestIndexOpsInAGraph(t *testing.T) {
	b := graph.NewBuilder()
	data, _ := b.Variable("data")
	srt := apply(t, b, "sort", "srt", map[string]string{"is_ascend": "False"}, data)
	top := apply(t, b, "topk", "top", map[string]string{"k": "2", "ret_typ": "both"}, data)
	vals, err := top.Output(0)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := top.Output(1)
	if err != nil {
		t.Fatal(err)
	}
	rev := apply(t, b, "reverse", "rev", map[string]string{"axis": "1"}, vals)
	st := apply(t, b, "stack", "st", map[string]string{"num_args": "2", "axis": "1"}, vals, rev)
	pk := apply(t, b, "pick", "pk", map[string]string{"axis": "1", "keepdims": "True"}, data,
		apply(t, b, "slice_axis", "sl", map[string]string{"axis": "1", "begin": "1", "end": "2"}, idx))
	sym := graph.Group(srt, st, pk)
	m, err := Bind(sym, nil, nil, map[string][]int{"data": {2, 4}})
	if err != nil {
		t.Fatal(err)
	}
	run := func(x []float32, n int, wantSort, wantStack, wantPick []float32) {
		t.Helper()
		outs, err := m.Predict(context.Background(), []*tensor.Tensor{f32(t, x, n, 4)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(outs) != 3 {
			t.Fatalf("%d outputs, want 3", len(outs))
		}
		for i, w := range []*tensor.Tensor{f32(t, wantSort, n, 4), f32(t, wantStack, n, 2, 2), f32(t, wantPick, n, 1)} {
			if !tensor.Equal(outs[i], w) {
				t.Errorf("batch %d output %d: got %v %v, want %v", n, i, outs[i], outs[i].Float32s(), w.Float32s())
			}
		}
	}
	// Ties: topk's order of equal values is libstdc++'s (insertion sort
	// for short rows keeps the input order).
	run([]float32{3, 1, 4, 1, 2, 7, 2, 0}, 2,
		[]float32{4, 3, 1, 1, 7, 2, 2, 0},
		[]float32{4, 3, 3, 4, 7, 2, 2, 7},
		[]float32{3, 2})
	run([]float32{0, 0, 0, 1, 5, 6, 5, 6, -1, -2, -3, -4}, 3,
		[]float32{1, 0, 0, 0, 6, 6, 5, 5, -1, -2, -3, -4},
		[]float32{1, 0, 0, 1, 6, 6, 6, 6, -1, -2, -2, -1},
		[]float32{0, 6, -2})
}
