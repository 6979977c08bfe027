package ops_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// matT returns the (rows, cols) matrix view of data with element (i, j) at
// i*cols+j, transposed when trans (so the result is cols×rows).
func matT(v []float64, rows, cols int, trans bool) ([]float64, int, int) {
	if !trans {
		return v, rows, cols
	}
	out := make([]float64, len(v))
	for i := range rows {
		for j := range cols {
			out[j*rows+i] = v[i*cols+j]
		}
	}
	return out, cols, rows
}

func matmul(a, b []float64, m, k, n int) []float64 {
	c := make([]float64, m*n)
	for i := range m {
		for j := range n {
			s := 0.0
			for p := range k {
				s += a[i*k+p] * b[p*n+j]
			}
			c[i*n+j] = s
		}
	}
	return c
}

func prodInts(s []int) int {
	p := 1
	for _, d := range s {
		p *= d
	}
	return p
}

func TestDotForward(t *testing.T) {
	cases := []struct {
		l, r   []int
		ta, tb bool
		out    []int
	}{
		{[]int{5}, []int{5}, false, false, []int{1}},
		{[]int{3, 4}, []int{4, 5}, false, false, []int{3, 5}},
		{[]int{4, 3}, []int{4, 5}, true, false, []int{3, 5}},
		{[]int{3, 4}, []int{5, 4}, false, true, []int{3, 5}},
		{[]int{4, 3}, []int{5, 4}, true, true, []int{3, 5}},
		{[]int{2, 3, 4}, []int{4, 5}, false, false, []int{2, 3, 5}},
		{[]int{2, 3, 4}, []int{4, 5, 2}, false, false, []int{2, 3, 5, 2}},
		{[]int{4, 2, 3}, []int{4, 5}, true, false, []int{2, 3, 5}},
		{[]int{3, 4}, []int{5, 2, 4}, false, true, []int{3, 5, 2}},
		{[]int{4}, []int{4, 6}, false, false, []int{6}},
		{[]int{3, 4}, []int{4}, false, false, []int{3}},
		{[]int{3, 4}, []int{4}, false, true, []int{3}},
		{[]int{17, 33}, []int{33, 9}, false, false, []int{17, 9}},
		{[]int{2, 0}, []int{0, 3}, false, false, []int{2, 3}},
	}
	for ci, c := range cases {
		l, r := kaRand(uint64(ci), c.l...), kaRand(uint64(40+ci), c.r...)
		attrs := map[string]string{"transpose_a": fmt.Sprint(c.ta), "transpose_b": fmt.Sprint(c.tb)}
		// Matrix views as DotShape describes them.
		lr, lc := prodInts(c.l[:len(c.l)-1]), c.l[len(c.l)-1]
		if c.ta {
			lr, lc = c.l[0], prodInts(c.l[1:])
		}
		rr, rc := c.r[0], prodInts(c.r[1:])
		if c.tb {
			rr, rc = prodInts(c.r[:len(c.r)-1]), c.r[len(c.r)-1]
		}
		if len(c.l) == 1 {
			lr, lc = 1, c.l[0]
		}
		if len(c.r) == 1 {
			rr, rc = c.r[0], 1
			if c.tb {
				rr, rc = 1, c.r[0]
			}
		}
		a, m, k := matT(kaF64(l), lr, lc, c.ta)
		b, k2, n := matT(kaF64(r), rr, rc, c.tb)
		if k != k2 {
			t.Fatalf("case %d: bad test views %d %d", ci, k, k2)
		}
		out := kaRun(t, "dot", attrs, l, r)
		kaCheck(t, fmt.Sprintf("dot %v·%v %v", c.l, c.r, attrs), out[0], c.out, matmul(a, b, m, k, n), 1e-5, 1e-5)
	}
	out := kaRun(t, "dot", nil, kaT([]int{1, 2}, 1, 2), kaT([]int{2, 2}, 3, 4, 5, 6))
	kaCheck(t, "dot hand", out[0], []int{1, 2}, []float64{13, 16}, 0, 0)
}

func TestBatchDotForward(t *testing.T) {
	cases := []struct {
		l, r   []int
		ta, tb bool
	}{
		{[]int{2, 3, 4}, []int{2, 4, 5}, false, false},
		{[]int{2, 4, 3}, []int{2, 4, 5}, true, false},
		{[]int{2, 3, 4}, []int{2, 5, 4}, false, true},
		{[]int{3, 4, 3}, []int{3, 5, 4}, true, true},
		{[]int{1, 1, 7}, []int{1, 7, 1}, false, false},
		{[]int{2, 3, 2, 4}, []int{2, 3, 4, 5}, false, false},
		{[]int{2, 3, 4, 2}, []int{2, 3, 5, 4}, true, true},
	}
	for ci, c := range cases {
		l, r := kaRand(uint64(ci), c.l...), kaRand(uint64(70+ci), c.r...)
		nd := len(c.l)
		batch := prodInts(c.l[:nd-2])
		lv, rv := kaF64(l), kaF64(r)
		ls, rs := c.l[nd-2]*c.l[nd-1], c.r[nd-2]*c.r[nd-1]
		var want []float64
		var m, n int
		for i := range batch {
			a, mm, k := matT(lv[i*ls:(i+1)*ls], c.l[nd-2], c.l[nd-1], c.ta)
			b, _, nn := matT(rv[i*rs:(i+1)*rs], c.r[nd-2], c.r[nd-1], c.tb)
			want = append(want, matmul(a, b, mm, k, nn)...)
			m, n = mm, nn
		}
		oshape := append(slices.Clone(c.l[:nd-2]), m, n)
		attrs := map[string]string{"transpose_a": fmt.Sprint(c.ta), "transpose_b": fmt.Sprint(c.tb)}
		out := kaRun(t, "batch_dot", attrs, l, r)
		kaCheck(t, fmt.Sprintf("batch_dot %v·%v %v", c.l, c.r, attrs), out[0], oshape, want, 1e-5, 1e-5)
	}
}

func TestEmbeddingForward(t *testing.T) {
	w := kaRand(5, 6, 4)
	wv := kaF64(w)
	idx := []float64{0, 5, 2.9, -1, 7, 3, -0.5, 1}
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Float64, tensor.Int32, tensor.Int64, tensor.Float16} {
		vals := idx
		if !dt.IsFloat() {
			vals = []float64{0, 5, 2, -1, 7, 3, 0, 1}
		}
		data := kaTyped(dt, vals, 2, 4)
		out := kaRun(t, "Embedding", map[string]string{"input_dim": "6", "output_dim": "4"}, data, w)
		var want []float64
		for i := range data.Len() {
			// truncate toward zero, then clip to [0, input_dim-1]
			r := min(max(int(data.Float64At(i)), 0), 5)
			want = append(want, wv[r*4:(r+1)*4]...)
		}
		kaCheck(t, "Embedding "+dt.String(), out[0], []int{2, 4, 4}, want, 0, 0)
	}
	out := kaRun(t, "Embedding", map[string]string{"input_dim": "2", "output_dim": "2"}, kaT([]int{3}, 1, 0, 9), kaT([]int{2, 2}, 1, 2, 3, 4))
	kaCheck(t, "Embedding hand", out[0], []int{3, 2}, []float64{3, 4, 1, 2, 3, 4}, 0, 0)
}

func TestDotErrors(t *testing.T) {
	x, _ := tensor.New(tensor.Float64, 2, 3)
	y, _ := tensor.New(tensor.Float64, 3, 2)
	if _, err := opstest.Run("dot", nil, []*tensor.Tensor{x, y}, nil); err == nil {
		t.Error("float64 dot accepted")
	}
	if _, err := opstest.Run("dot", nil, []*tensor.Tensor{kaRand(1, 2, 3), kaRand(1, 2, 3)}, nil); err == nil {
		t.Error("dot (2,3)·(2,3) accepted")
	}
	if _, err := opstest.Run("batch_dot", nil, []*tensor.Tensor{kaRand(1, 2, 3), kaRand(1, 3, 2)}, nil); err == nil {
		t.Error("2-D batch_dot accepted")
	}
}

func TestDotNoAllocs(t *testing.T) {
	kaNoAllocs(t, "dot", nil, kaRand(1, 3, 8), kaRand(2, 8, 5))
	kaNoAllocs(t, "dot", map[string]string{"transpose_a": "true", "transpose_b": "true"}, kaRand(1, 8, 3), kaRand(2, 5, 8))
	kaNoAllocs(t, "batch_dot", map[string]string{"transpose_b": "true"}, kaRand(1, 2, 3, 8), kaRand(2, 2, 5, 8))
	kaNoAllocs(t, "Embedding", map[string]string{"input_dim": "10", "output_dim": "4"}, kaT([]int{3}, 1, 9, 4), kaRand(3, 10, 4))
}
