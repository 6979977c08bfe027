package ops_test

import (
	"fmt"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// kaMatMul computes C = op(A)·op(B) in float64 for row-major A and B with
// op the transpose when ta/tb is set; A is stored (m, k) or (k, m), B (k, n)
// or (n, k).
func kaMatMul(a, b []float64, m, n, k int, ta, tb bool) []float64 {
	c := make([]float64, m*n)
	for i := range m {
		for j := range n {
			s := 0.0
			for l := range k {
				av := a[i*k+l]
				if ta {
					av = a[l*m+i]
				}
				bv := b[l*n+j]
				if tb {
					bv = b[j*k+l]
				}
				s += av * bv
			}
			c[i*n+j] = s
		}
	}
	return c
}

func TestDotKernel(t *testing.T) {
	cases := []struct {
		l, r    []int
		ta, tb  bool
		m, n, k int
		out     []int
	}{
		{kaS(3, 4), kaS(4, 5), false, false, 3, 5, 4, kaS(3, 5)},
		{kaS(4, 3), kaS(4, 5), true, false, 3, 5, 4, kaS(3, 5)},
		{kaS(3, 4), kaS(5, 4), false, true, 3, 5, 4, kaS(3, 5)},
		{kaS(4, 3), kaS(5, 4), true, true, 3, 5, 4, kaS(3, 5)},
		{kaS(7), kaS(7), false, false, 1, 1, 7, kaS(1)},
		{kaS(4), kaS(4, 6), false, false, 1, 6, 4, kaS(6)},
		{kaS(6, 4), kaS(4), false, false, 6, 1, 4, kaS(6)},
		{kaS(2, 3, 4), kaS(4, 5), false, false, 6, 5, 4, kaS(2, 3, 5)},
		{kaS(2, 3, 4), kaS(4, 2, 5), false, false, 6, 10, 4, kaS(2, 3, 2, 5)},
		{kaS(4, 2, 3), kaS(4, 5), true, false, 6, 5, 4, kaS(2, 3, 5)},
		{kaS(2, 3, 4), kaS(5, 2, 4), false, true, 6, 10, 4, kaS(2, 3, 5, 2)},
		{kaS(17, 33), kaS(33, 9), false, false, 17, 9, 33, kaS(17, 9)},
		{kaS(0, 4), kaS(4, 3), false, false, 0, 3, 4, kaS(0, 3)},
	}
	for ci, c := range cases {
		t.Run(fmt.Sprintf("%v.%v/ta=%v/tb=%v", c.l, c.r, c.ta, c.tb), func(t *testing.T) {
			a, b := kaRand(uint64(ci), 1, c.l...), kaRand(uint64(ci+40), 1, c.r...)
			want := kaMatMul(kaF64(a), kaF64(b), c.m, c.n, c.k, c.ta, c.tb)
			attrs := map[string]string{"transpose_a": fmt.Sprint(c.ta), "transpose_b": fmt.Sprint(c.tb)}
			kaExpect(t, "dot", attrs, []*tensor.Tensor{a, b}, c.out, want, 1e-5, 1e-5)
		})
	}
	// An empty reduction gives zeros.
	kaExpect(t, "dot", nil, []*tensor.Tensor{kaT(kaS(2, 0)), kaT(kaS(0, 3))}, kaS(2, 3), make([]float64, 6), 0, 0)
}

func TestBatchDotKernel(t *testing.T) {
	cases := []struct {
		l, r    []int
		ta, tb  bool
		m, n, k int
		out     []int
	}{
		{kaS(3, 2, 4), kaS(3, 4, 5), false, false, 2, 5, 4, kaS(3, 2, 5)},
		{kaS(3, 4, 2), kaS(3, 4, 5), true, false, 2, 5, 4, kaS(3, 2, 5)},
		{kaS(3, 2, 4), kaS(3, 5, 4), false, true, 2, 5, 4, kaS(3, 2, 5)},
		{kaS(3, 4, 2), kaS(3, 5, 4), true, true, 2, 5, 4, kaS(3, 2, 5)},
		{kaS(1, 7, 9), kaS(1, 9, 3), false, false, 7, 3, 9, kaS(1, 7, 3)},
		{kaS(2, 3, 2, 4), kaS(2, 3, 4, 5), false, false, 2, 5, 4, kaS(2, 3, 2, 5)},
		{kaS(2, 3, 4, 2), kaS(2, 3, 5, 4), true, true, 2, 5, 4, kaS(2, 3, 2, 5)},
	}
	for ci, c := range cases {
		t.Run(fmt.Sprintf("%v.%v/ta=%v/tb=%v", c.l, c.r, c.ta, c.tb), func(t *testing.T) {
			a, b := kaRand(uint64(ci), 1, c.l...), kaRand(uint64(ci+40), 1, c.r...)
			af, bf := kaF64(a), kaF64(b)
			mk, kn := c.m*c.k, c.k*c.n
			var want []float64
			for i := range len(af) / mk {
				want = append(want, kaMatMul(af[i*mk:(i+1)*mk], bf[i*kn:(i+1)*kn], c.m, c.n, c.k, c.ta, c.tb)...)
			}
			attrs := map[string]string{"transpose_a": fmt.Sprint(c.ta), "transpose_b": fmt.Sprint(c.tb)}
			kaExpect(t, "batch_dot", attrs, []*tensor.Tensor{a, b}, c.out, want, 1e-5, 1e-5)
		})
	}
}

func TestEmbeddingKernel(t *testing.T) {
	w := kaRand(1, 1, 6, 4)
	idx := kaT(kaS(2, 4), 0, 5, 2.7, -1, -0.5, 7, 5.9, 1)
	rows := []int{0, 5, 2, 0, 0, 5, 5, 1}
	want := make([]float64, 0, 32)
	wf := kaF64(w)
	for _, r := range rows {
		want = append(want, wf[r*4:(r+1)*4]...)
	}
	kaExpect(t, "Embedding", map[string]string{"input_dim": "6", "output_dim": "4"}, []*tensor.Tensor{idx, w}, kaS(2, 4, 4), want, 0, 0)
	// Other weight dtypes copy rows as they are.
	for _, dt := range []string{"float16", "int32", "float64"} {
		d, _ := tensor.ParseDType(dt)
		wd, _ := w.AsType(d)
		id, _ := idx.AsType(d)
		wdf := kaF64(wd)
		want := want[:0:0]
		for _, r := range rows {
			want = append(want, wdf[r*4:(r+1)*4]...)
		}
		out := kaRun(t, "Embedding", map[string]string{"input_dim": "6", "output_dim": "4", "dtype": dt}, id, wd)[0]
		if out.DType() != d {
			t.Fatalf("dtype %s, want %s", out.DType(), d)
		}
		kaCheck(t, "Embedding "+dt, out, kaS(2, 4, 4), want, 0, 0)
	}
}

func TestDotNoAllocs(t *testing.T) {
	kaNoAllocs(t, "dot", nil, kaRand(1, 1, 8, 16), kaRand(2, 1, 16, 12))
	kaNoAllocs(t, "dot", map[string]string{"transpose_a": "true", "transpose_b": "true"}, kaRand(1, 1, 16, 8), kaRand(2, 1, 12, 16))
	kaNoAllocs(t, "batch_dot", nil, kaRand(1, 1, 3, 8, 16), kaRand(2, 1, 3, 16, 12))
	kaNoAllocs(t, "Embedding", map[string]string{"input_dim": "6", "output_dim": "4"}, kaT(kaS(3), 1, 2, 3), kaRand(1, 1, 6, 4))
}
