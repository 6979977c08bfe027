package ops_test

import (
	"math"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

func mustTensor[T tensor.Element](t *testing.T, data []T, shape ...int) *tensor.Tensor {
	t.Helper()
	x, err := tensor.FromSlice(data, shape...)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// TestIndexOpsRuntimeErrors: index values MXNet rejects at run time (take
// mode raise, gather_nd out of bounds) and negative sequence lengths fail
// with an error, not a panic or a wild read.
func TestIndexOpsRuntimeErrors(t *testing.T) {
	data := mustTensor(t, []float32{1, 2, 3, 4, 5, 6}, 2, 3)
	cases := []struct {
		op    string
		attrs map[string]string
		in    []*tensor.Tensor
		want  string
	}{
		{"take", map[string]string{"mode": "raise"}, []*tensor.Tensor{data, mustTensor(t, []int32{0, 2}, 2)}, "out of bounds"},
		{"take", map[string]string{"mode": "raise", "axis": "1"}, []*tensor.Tensor{data, mustTensor(t, []float32{-0.5}, 1)}, "out of bounds"},
		{"gather_nd", nil, []*tensor.Tensor{data, mustTensor(t, []int64{0, -4}, 2, 1)}, "out of bounds"},
		{"gather_nd", nil, []*tensor.Tensor{data, mustTensor(t, []int32{2}, 1, 1)}, "out of bounds"},
		{"gather_nd", nil, []*tensor.Tensor{data, mustTensor(t, []float32{float32(math.NaN())}, 1, 1)}, "out of bounds"},
		{"SequenceMask", map[string]string{"use_sequence_length": "1"},
			[]*tensor.Tensor{data, mustTensor(t, []int32{1, -1, 0}, 3)}, "negative"},
		{"take", nil, []*tensor.Tensor{mustTensor(t, []float32{}, 0, 2), mustTensor(t, []int32{0}, 1)}, "empty"},
	}
	for _, c := range cases {
		_, err := opstest.Run(c.op, c.attrs, c.in, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: error %v, want one containing %q", c.op, c.attrs, err, c.want)
		}
	}
}

// TestIndexOpsDTypes runs the data-movement operators on non-float32 data
// (they copy elements of any dtype) and checks a few values by hand.
func TestIndexOpsDTypes(t *testing.T) {
	x := mustTensor(t, []int64{10, 11, 12, 20, 21, 22}, 2, 3)
	check := func(op string, attrs map[string]string, in []*tensor.Tensor, want []int64, shape ...int) {
		t.Helper()
		outs, err := opstest.Run(op, attrs, in, nil)
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		got := outs[0]
		if got.DType() != tensor.Int64 || !tensor.Equal(got, mustTensor(t, want, shape...)) {
			t.Errorf("%s %v: got %v %v, want %v", op, attrs, got, got.Bytes(), want)
		}
	}
	check("tile", map[string]string{"reps": "(1, 2)"}, []*tensor.Tensor{x}, []int64{10, 11, 12, 10, 11, 12, 20, 21, 22, 20, 21, 22}, 2, 6)
	check("reverse", map[string]string{"axis": "(0, 1)"}, []*tensor.Tensor{x}, []int64{22, 21, 20, 12, 11, 10}, 2, 3)
	check("SwapAxis", map[string]string{"dim1": "0", "dim2": "1"}, []*tensor.Tensor{x}, []int64{10, 20, 11, 21, 12, 22}, 3, 2)
	check("take", map[string]string{"axis": "1"}, []*tensor.Tensor{x, mustTensor(t, []int32{2, 0}, 2)}, []int64{12, 10, 22, 20}, 2, 2)
	check("pick", nil, []*tensor.Tensor{x, mustTensor(t, []float32{1, 7}, 2)}, []int64{11, 22}, 2)
	check("where", nil, []*tensor.Tensor{mustTensor(t, []uint8{0, 1}, 2), x, mustTensor(t, []int64{0, 0, 0, 0, 0, 0}, 2, 3)},
		[]int64{0, 0, 0, 20, 21, 22}, 2, 3)
	check("SequenceMask", map[string]string{"use_sequence_length": "1", "axis": "1", "value": "-7.9"},
		[]*tensor.Tensor{x, mustTensor(t, []int64{1, 2}, 2)}, []int64{10, -7, -7, 20, 21, -7}, 2, 3)
}

// TestTopKNaNDoesNotPanic: with NaN the ordering is inconsistent and
// libstdc++'s unguarded loops are undefined; mxgo's bounded copies must
// still terminate and stay in range.
func TestTopKNaNDoesNotPanic(t *testing.T) {
	nan := float32(math.NaN())
	v := make([]float32, 300)
	for i := range v {
		v[i] = float32(i % 7)
		if i%3 == 0 {
			v[i] = nan
		}
	}
	for _, attrs := range []map[string]string{{"k": "0"}, {"k": "5", "is_ascend": "1"}, {"k": "100", "ret_typ": "both"}} {
		if _, err := opstest.Run("topk", attrs, []*tensor.Tensor{mustTensor(t, v, 300)}, nil); err != nil {
			t.Errorf("topk %v: %v", attrs, err)
		}
	}
}
