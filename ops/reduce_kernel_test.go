package ops_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// kaReduceRef reduces x over the axes marked in red (float64; max/min
// propagate NaN) and returns the output values (shape without the
// reduced axes; keepdims only changes the shape).
func kaReduceRef(x *tensor.Tensor, red []bool, kind string) []float64 {
	shape := x.Shape()
	var keep []int
	for d, r := range red {
		if !r {
			keep = append(keep, shape[d])
		}
	}
	n := 1
	for _, d := range keep {
		n *= d
	}
	acc := make([]float64, n)
	cnt := make([]int, n)
	for i := range acc {
		switch kind {
		case "max":
			acc[i] = math.Inf(-1)
		case "min":
			acc[i] = math.Inf(1)
		}
	}
	for i := range x.Len() {
		idx := kaIndex(i, shape)
		var oi []int
		for d, r := range red {
			if !r {
				oi = append(oi, idx[d])
			}
		}
		o := kaFlat(oi, keep)
		v := x.Float64At(i)
		cnt[o]++
		switch kind {
		case "max":
			if math.IsNaN(v) || v > acc[o] {
				acc[o] = v
			}
			if math.IsNaN(v) {
				acc[o] = math.NaN()
			}
		case "min":
			if math.IsNaN(v) || v < acc[o] {
				acc[o] = v
			}
		default:
			acc[o] += v
		}
		if math.IsNaN(v) {
			acc[o] = math.NaN()
		}
	}
	for o := range acc {
		if kind == "mean" {
			acc[o] /= float64(cnt[o])
		}
	}
	return acc
}

func TestReduceKernel(t *testing.T) {
	cases := []struct {
		shape    []int
		axis     string // "" = None
		keepdims bool
		exclude  bool
		red      []bool
		out      []int
	}{
		{kaS(2, 3, 4), "", false, false, []bool{true, true, true}, kaS(1)},
		{kaS(2, 3, 4), "", true, false, []bool{true, true, true}, kaS(1, 1, 1)},
		{kaS(2, 3, 4), "()", false, true, []bool{true, true, true}, kaS(1)},
		{kaS(2, 3, 4), "1", false, false, []bool{false, true, false}, kaS(2, 4)},
		{kaS(2, 3, 4), "-1", true, false, []bool{false, false, true}, kaS(2, 3, 1)},
		{kaS(2, 3, 4), "0", false, false, []bool{true, false, false}, kaS(3, 4)},
		{kaS(2, 3, 4), "(0, 2)", false, false, []bool{true, false, true}, kaS(3)},
		{kaS(2, 3, 4), "(0, 2)", true, false, []bool{true, false, true}, kaS(1, 3, 1)},
		{kaS(2, 3, 4), "1", false, true, []bool{true, false, true}, kaS(3)},
		{kaS(2, 3, 4), "(1, 2)", true, true, []bool{true, false, false}, kaS(1, 3, 4)},
		{kaS(5, 37), "1", false, false, []bool{false, true}, kaS(5)},
		{kaS(37, 5), "0", false, false, []bool{true, false}, kaS(5)},
		{kaS(2, 3, 5, 7), "(1, 3)", false, false, []bool{false, true, false, true}, kaS(2, 5)},
		{kaS(9), "0", false, false, []bool{true}, kaS(1)},
	}
	names := map[string]string{"sum": "sum", "mean": "mean", "max": "max", "min": "min",
		"sum_axis": "sum", "max_axis": "max", "min_axis": "min"}
	for name, kind := range names {
		for ci, c := range cases {
			t.Run(fmt.Sprintf("%s/%v/axis=%s/keepdims=%v/exclude=%v", name, c.shape, c.axis, c.keepdims, c.exclude), func(t *testing.T) {
				x := kaRand(uint64(ci), 4, c.shape...)
				attrs := map[string]string{"keepdims": fmt.Sprint(c.keepdims), "exclude": fmt.Sprint(c.exclude)}
				if c.axis != "" {
					attrs["axis"] = c.axis
				}
				kaExpect(t, name, attrs, []*tensor.Tensor{x}, c.out, kaReduceRef(x, c.red, kind), 1e-5, 1e-5)
			})
		}
	}
}

func TestReduceNaN(t *testing.T) {
	x := kaT(kaS(3, 4), 1, kaNaN, 3, 2, -1, -2, -3, -4, 5, 0, kaInf, kaNaN)
	for _, kind := range []string{"sum", "mean", "max", "min"} {
		for _, c := range []struct {
			axis string
			red  []bool
			out  []int
		}{{"1", []bool{false, true}, kaS(3)}, {"0", []bool{true, false}, kaS(4)}, {"", []bool{true, true}, kaS(1)}} {
			attrs := map[string]string{}
			if c.axis != "" {
				attrs["axis"] = c.axis
			}
			kaExpect(t, kind, attrs, []*tensor.Tensor{x}, c.out, kaReduceRef(x, c.red, kind), 1e-6, 0)
		}
	}
}

// kaArgRef is MXNet's argmax/argmin along one axis of (outer, n, inner):
// the first extreme, or the last index of the axis once a NaN appears.
func kaArgRef(xs []float64, outer, n, inner int, max bool) []float64 {
	out := make([]float64, 0, outer*inner)
	for o := range outer {
		for i := range inner {
			best, bv, nan := 0, xs[o*n*inner+i], false
			for j := range n {
				v := xs[(o*n+j)*inner+i]
				if math.IsNaN(v) {
					nan = true
				}
				if (max && v > bv) || (!max && v < bv) || math.IsNaN(bv) {
					best, bv = j, v
				}
			}
			if nan {
				best = n - 1
			}
			out = append(out, float64(best))
		}
	}
	return out
}

func TestArgMaxMinKernel(t *testing.T) {
	ties := kaT(kaS(3, 4), 1, 5, 5, 2, 7, 7, 7, 7, -1, -3, -3, 0)
	nan := kaT(kaS(3, 4), 1, kaNaN, 5, 2, kaNaN, 7, 9, 7, -1, -3, -3, kaNaN)
	inf := kaT(kaS(2, 3), float32(math.Inf(-1)), float32(math.Inf(-1)), float32(math.Inf(-1)), kaInf, kaInf, kaInf)
	rnd := kaRand(4, 3, 2, 5, 3)
	cases := []struct {
		x        *tensor.Tensor
		axis     string
		keepdims bool
		split    [3]int
		out      []int
	}{
		{ties, "1", false, [3]int{3, 4, 1}, kaS(3)},
		{ties, "0", false, [3]int{1, 3, 4}, kaS(4)},
		{ties, "-1", true, [3]int{3, 4, 1}, kaS(3, 1)},
		{ties, "", false, [3]int{1, 12, 1}, kaS(1)},
		{nan, "1", false, [3]int{3, 4, 1}, kaS(3)},
		{nan, "0", false, [3]int{1, 3, 4}, kaS(4)},
		{nan, "", false, [3]int{1, 12, 1}, kaS(1)},
		{inf, "1", false, [3]int{2, 3, 1}, kaS(2)},
		{rnd, "1", false, [3]int{2, 5, 3}, kaS(2, 3)},
		{rnd, "2", true, [3]int{10, 3, 1}, kaS(2, 5, 1)},
	}
	for ci, c := range cases {
		for _, name := range []string{"argmax", "argmin"} {
			attrs := map[string]string{"keepdims": fmt.Sprint(c.keepdims)}
			if c.axis != "" {
				attrs["axis"] = c.axis
			}
			want := kaArgRef(kaF64(c.x), c.split[0], c.split[1], c.split[2], name == "argmax")
			t.Run(fmt.Sprint(ci, name), func(t *testing.T) {
				kaExpect(t, name, attrs, []*tensor.Tensor{c.x}, c.out, want, 0, 0)
			})
		}
	}
	if _, err := kaRunErr("argmax", map[string]string{"axis": "1"}, kaT(kaS(2, 0))); err == nil {
		t.Error("argmax over an empty axis succeeded, want an error")
	}
}

func TestReduceNoAllocs(t *testing.T) {
	for _, name := range []string{"sum", "mean", "max", "min"} {
		for _, axis := range []string{"1", "(0, 2)", "()"} {
			kaNoAllocs(t, name, map[string]string{"axis": axis}, kaRand(1, 1, 3, 4, 5))
		}
	}
	kaNoAllocs(t, "argmax", map[string]string{"axis": "1"}, kaRand(1, 1, 3, 4, 5))
	kaNoAllocs(t, "argmin", nil, kaRand(1, 1, 3, 4, 5))
}
