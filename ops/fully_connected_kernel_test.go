package ops_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// fcRef is y = x·Wᵀ + b in float64 with x viewed as (m, k).
func fcRef(x, w, b *tensor.Tensor, m, n, k int) []float64 {
	xv, wv := kaF64(x), kaF64(w)
	y := make([]float64, m*n)
	for i := range m {
		for j := range n {
			s := 0.0
			for p := range k {
				s += xv[i*k+p] * wv[j*k+p]
			}
			if b != nil {
				s += b.Float64At(j)
			}
			y[i*n+j] = s
		}
	}
	return y
}

func TestFullyConnectedForward(t *testing.T) {
	cases := []struct {
		data     []int
		hidden   int
		flatten  bool
		noBias   bool
		bias2D   bool
		outShape []int
	}{
		{[]int{1, 7}, 5, true, false, false, []int{1, 5}},
		{[]int{3, 7}, 5, true, true, false, []int{3, 5}},
		{[]int{2, 3, 4, 5}, 6, true, false, false, []int{2, 6}},
		{[]int{2, 3, 5}, 4, false, false, false, []int{2, 3, 4}},
		{[]int{2, 3, 5}, 4, false, true, false, []int{2, 3, 4}},
		{[]int{5}, 3, false, false, false, []int{3}},
		{[]int{9, 17}, 13, true, false, true, []int{9, 13}},
		{[]int{4, 1}, 1, true, false, false, []int{4, 1}},
		{[]int{33, 65}, 31, true, false, false, []int{33, 31}},
	}
	for ci, c := range cases {
		name := fmt.Sprintf("%d_%v_h%d_flatten%v_nobias%v", ci, c.data, c.hidden, c.flatten, c.noBias)
		t.Run(name, func(t *testing.T) {
			x := kaRand(uint64(ci), c.data...)
			k := c.data[len(c.data)-1]
			if c.flatten {
				k = x.Len() / c.data[0]
			}
			m := x.Len() / k
			w := kaRand(uint64(100+ci), c.hidden, k)
			attrs := map[string]string{"num_hidden": fmt.Sprint(c.hidden), "flatten": fmt.Sprint(c.flatten), "no_bias": fmt.Sprint(c.noBias)}
			in := []*tensor.Tensor{x, w}
			var b *tensor.Tensor
			if !c.noBias {
				b = kaRand(uint64(200+ci), c.hidden)
				if c.bias2D {
					b, _ = b.Reshape(c.hidden, 1)
				}
				in = append(in, b)
			}
			out := kaRun(t, "FullyConnected", attrs, in...)
			kaCheck(t, "output", out[0], c.outShape, fcRef(x, w, b, m, c.hidden, k), 1e-5, 1e-5)
		})
	}
}

func TestFullyConnectedHandChecked(t *testing.T) {
	x := kaT([]int{2, 3}, 1, 2, 3, -1, 0, 1)
	w := kaT([]int{2, 3}, 1, 0, -1, 0.5, 0.5, 0.5)
	b := kaT([]int{2}, 10, -10)
	out := kaRun(t, "FullyConnected", map[string]string{"num_hidden": "2"}, x, w, b)
	kaCheck(t, "output", out[0], []int{2, 2}, []float64{1 - 3 + 10, 3 - 10, -1 - 1 + 10, 0 - 10}, 0, 0)
}

func TestFullyConnectedErrors(t *testing.T) {
	x, _ := tensor.New(tensor.Float64, 2, 3)
	w, _ := tensor.New(tensor.Float64, 4, 3)
	_, err := opstest.Run("FullyConnected", map[string]string{"num_hidden": "4", "no_bias": "1"}, []*tensor.Tensor{x, w}, nil)
	if err == nil || !strings.Contains(err.Error(), "float32") {
		t.Fatalf("float64 data: got %v, want a dtype error", err)
	}
}

func TestFullyConnectedNoAllocs(t *testing.T) {
	kaNoAllocs(t, "FullyConnected", map[string]string{"num_hidden": "16"}, kaRand(1, 4, 32), kaRand(2, 16, 32), kaRand(3, 16))
	kaNoAllocs(t, "FullyConnected", map[string]string{"num_hidden": "8", "flatten": "false", "no_bias": "true"}, kaRand(1, 2, 3, 8), kaRand(2, 8, 8))
}

// TestFullyConnectedThreads checks the multi-threaded path gives the
// single-threaded result.
func TestFullyConnectedThreads(t *testing.T) {
	x, w, b := kaRand(1, 64, 40), kaRand(2, 24, 40), kaRand(3, 24)
	attrs := map[string]string{"num_hidden": "24"}
	one, err := opstest.Run("FullyConnected", attrs, []*tensor.Tensor{x, w, b}, &opstest.Options{Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	two, err := opstest.Run("FullyConnected", attrs, []*tensor.Tensor{x, w, b}, &opstest.Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := tensor.Compare(two[0], one[0], 1e-6, 1e-6); err != nil {
		t.Fatal(err)
	}
}
