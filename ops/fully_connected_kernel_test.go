package ops_test

import (
	"fmt"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// fcRef computes FullyConnected in float64: x viewed as (m, k), y = x·Wᵀ + b.
func fcRef(x, w, b *tensor.Tensor, m, n, k int) []float64 {
	xs, ws := kaF64(x), kaF64(w)
	out := make([]float64, m*n)
	for i := range m {
		for j := range n {
			s := 0.0
			for l := range k {
				s += xs[i*k+l] * ws[j*k+l]
			}
			if b != nil {
				s += b.Float64At(j)
			}
			out[i*n+j] = s
		}
	}
	return out
}

func TestFullyConnectedKernel(t *testing.T) {
	cases := []struct {
		data    []int
		hidden  int
		flatten bool
		noBias  bool
		bias2D  bool
		out     []int
	}{
		{data: kaS(1, 7), hidden: 5, flatten: true, out: kaS(1, 5)},
		{data: kaS(3, 4), hidden: 1, flatten: true, out: kaS(3, 1)},
		{data: kaS(2, 3, 2, 2), hidden: 5, flatten: true, out: kaS(2, 5)},
		{data: kaS(2, 3, 2, 2), hidden: 6, flatten: true, noBias: true, out: kaS(2, 6)},
		{data: kaS(2, 3, 4), hidden: 5, flatten: false, out: kaS(2, 3, 5)},
		{data: kaS(2, 3, 4), hidden: 5, flatten: false, noBias: true, out: kaS(2, 3, 5)},
		{data: kaS(9), hidden: 3, flatten: false, out: kaS(3)},
		{data: kaS(13, 33), hidden: 17, flatten: true, out: kaS(13, 17)},
		{data: kaS(5, 8), hidden: 3, flatten: true, bias2D: true, out: kaS(5, 3)},
		{data: kaS(0, 4), hidden: 3, flatten: true, out: kaS(0, 3)},
	}
	for ci, c := range cases {
		t.Run(fmt.Sprintf("%d/%v/flatten=%v/no_bias=%v", ci, c.data, c.flatten, c.noBias), func(t *testing.T) {
			x := kaRand(uint64(ci), 1, c.data...)
			k := 1
			if c.flatten {
				for _, d := range c.data[1:] {
					k *= d
				}
			} else {
				k = c.data[len(c.data)-1]
			}
			m := 1
			for _, d := range c.out[:len(c.out)-1] {
				m *= d
			}
			w := kaRand(uint64(100+ci), 1, c.hidden, k)
			attrs := map[string]string{
				"num_hidden": fmt.Sprint(c.hidden),
				"flatten":    fmt.Sprint(c.flatten),
				"no_bias":    fmt.Sprint(c.noBias),
			}
			in := []*tensor.Tensor{x, w}
			var b *tensor.Tensor
			if !c.noBias {
				b = kaRand(uint64(200+ci), 1, c.hidden)
				if c.bias2D {
					b = kaRand(uint64(200+ci), 1, c.hidden, 1)
				}
				in = append(in, b)
			}
			kaExpect(t, "FullyConnected", attrs, in, c.out, fcRef(x, w, b, m, c.hidden, k), 1e-5, 1e-5)
		})
	}
}

// TestFullyConnectedKZero checks an empty reduction: the output is the bias.
func TestFullyConnectedKZero(t *testing.T) {
	x := kaT(kaS(2, 0))
	w := kaT(kaS(3, 0))
	b := kaT(kaS(3), 1, -2, 3)
	kaExpect(t, "FullyConnected", map[string]string{"num_hidden": "3"}, []*tensor.Tensor{x, w, b},
		kaS(2, 3), []float64{1, -2, 3, 1, -2, 3}, 0, 0)
}

func TestFullyConnectedThreads(t *testing.T) {
	x := kaRand(1, 1, 64, 40)
	w := kaRand(2, 1, 48, 40)
	b := kaRand(3, 1, 48)
	want := fcRef(x, w, b, 64, 48, 40)
	outs, err := kaRunThreads("FullyConnected", map[string]string{"num_hidden": "48"}, []*tensor.Tensor{x, w, b}, 2)
	if err != nil {
		t.Fatal(err)
	}
	kaCheck(t, "threads=2", outs[0], kaS(64, 48), want, 1e-5, 1e-5)
}

func TestFullyConnectedRejectsFloat64(t *testing.T) {
	x, _ := tensor.New(tensor.Float64, 2, 3)
	w, _ := tensor.New(tensor.Float64, 4, 3)
	if _, err := kaRunErr("FullyConnected", map[string]string{"num_hidden": "4", "no_bias": "true"}, x, w); err == nil {
		t.Fatal("float64 FullyConnected ran, want an error")
	}
}

func TestFullyConnectedNoAllocs(t *testing.T) {
	kaNoAllocs(t, "FullyConnected", map[string]string{"num_hidden": "10"}, kaRand(1, 1, 4, 3, 5), kaRand(2, 1, 10, 15), kaRand(3, 1, 10))
	kaNoAllocs(t, "FullyConnected", map[string]string{"num_hidden": "10", "flatten": "false", "no_bias": "true"}, kaRand(1, 1, 4, 3, 5), kaRand(2, 1, 10, 5))
}
