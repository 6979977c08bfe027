package ops_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// reduceRef reduces x over the axes marked in red (float64), returning the
// keepdims shape and values.
func reduceRef(x *tensor.Tensor, red []bool, kind string) ([]int, []float64) {
	shape := x.Shape()
	oshape := slices.Clone(shape)
	for d, r := range red {
		if r {
			oshape[d] = 1
		}
	}
	ost := strides(oshape)
	n := 1
	for _, d := range oshape {
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
	idx := make([]int, len(shape))
	for k := range x.Len() {
		r := k
		for d := len(shape) - 1; d >= 0; d-- {
			idx[d] = r % shape[d]
			r /= shape[d]
		}
		o := 0
		for d := range shape {
			if !red[d] {
				o += idx[d] * ost[d]
			}
		}
		v := x.Float64At(k)
		cnt[o]++
		switch kind {
		case "max":
			acc[o] = maxRef(v, acc[o])
		case "min":
			acc[o] = minRef(v, acc[o])
		default:
			acc[o] += v
		}
	}
	if kind == "mean" {
		for i := range acc {
			acc[i] /= float64(cnt[i])
		}
	}
	return oshape, acc
}

func TestReduceForward(t *testing.T) {
	shape := []int{3, 4, 5}
	cases := []struct {
		axis    string // "" for None
		keep    bool
		exclude bool
	}{
		{"", false, false}, {"", true, false}, {"()", false, false},
		{"0", false, false}, {"1", true, false}, {"-1", false, false},
		{"(0,2)", false, false}, {"(2,0)", true, false}, {"(0,1,2)", false, false},
		{"1", false, true}, {"(0,-1)", true, true}, {"(0,1,2)", true, true},
	}
	x := kaRand(21, shape...)
	nan := kaRand(22, shape...)
	nan.Float32s()[7] = float32(math.NaN())
	for _, kind := range []string{"sum", "mean", "max", "min"} {
		for _, c := range cases {
			attrs := map[string]string{"keepdims": fmt.Sprint(c.keep), "exclude": fmt.Sprint(c.exclude)}
			red := []bool{true, true, true}
			if c.axis != "" && c.axis != "()" {
				attrs["axis"] = c.axis
				red = []bool{c.exclude, c.exclude, c.exclude}
				for _, f := range strings.FieldsFunc(c.axis, func(r rune) bool { return r == '(' || r == ')' || r == ',' }) {
					a := (int(mustFloat(f)) + 3) % 3
					red[a] = !c.exclude
				}
			} else if c.axis == "()" {
				attrs["axis"] = "()"
			}
			for _, in := range []*tensor.Tensor{x, nan} {
				kshape, want := reduceRef(in, red, kind)
				oshape := kshape
				if !c.keep {
					oshape = nil
					for d, r := range red {
						if !r {
							oshape = append(oshape, shape[d])
						}
					}
					if len(oshape) == 0 {
						oshape = []int{1}
					}
				}
				out := kaRun(t, kind, attrs, in)
				kaCheck(t, fmt.Sprintf("%s %v", kind, attrs), out[0], oshape, want, 2e-6, 1e-6)
			}
		}
	}
}

func TestReduceHandChecked(t *testing.T) {
	x := kaT([]int{2, 3}, 1, 5, 3, -4, 2, 6)
	for _, c := range []struct {
		op, axis string
		shape    []int
		want     []float64
	}{
		{"sum", "1", []int{2}, []float64{9, 4}},
		{"sum_axis", "0", []int{3}, []float64{-3, 7, 9}},
		{"mean", "1", []int{2}, []float64{3, 4.0 / 3}},
		{"max", "0", []int{3}, []float64{1, 5, 6}},
		{"max_axis", "1", []int{2}, []float64{5, 6}},
		{"min", "1", []int{2}, []float64{1, -4}},
		{"min_axis", "0", []int{3}, []float64{-4, 2, 3}},
	} {
		out := kaRun(t, c.op, map[string]string{"axis": c.axis}, x)
		kaCheck(t, c.op+" "+c.axis, out[0], c.shape, c.want, 1e-7, 0)
	}
	// mean divides the sum by the count, as MXNet does: in float32
	// 4.07/3 = 1.3566667 but 4.07·(1/3) = 1.3566668.
	four := float32(4.07)
	out := kaRun(t, "mean", nil, kaT([]int{3}, four, 0, 0))
	if got, want := out[0].Float32s()[0], four/3; got != want {
		t.Errorf("mean: got %v, want %v", got, want)
	}
}

// argRef is argmax/argmin of one row as MXNet computes it: ties to the
// first index; a NaN anywhere gives the last index.
func argRef(row []float64, max bool) float64 {
	best := 0
	for j, v := range row {
		if math.IsNaN(v) {
			return float64(len(row) - 1)
		}
		if (max && v > row[best]) || (!max && v < row[best]) {
			best = j
		}
	}
	return float64(best)
}

func TestArgMaxMin(t *testing.T) {
	x := kaRand(31, 3, 4, 5)
	tie := kaT([]int{2, 4}, 1, 3, 3, 0, -1, -1, -2, -2)
	nan := kaT([]int{3, 4}, 1, float32(math.NaN()), 7, 0, float32(math.NaN()), 5, 6, 7, 1, 2, 3, float32(math.NaN()))
	for _, name := range []string{"argmax", "argmin"} {
		isMax := name == "argmax"
		for _, in := range []*tensor.Tensor{x, tie, nan} {
			nd := in.NDim()
			for a := -1; a < nd; a++ {
				attrs := map[string]string{}
				var oshape []int
				var want []float64
				if a < 0 {
					oshape, want = []int{1}, []float64{argRef(kaF64(in), isMax)}
				} else {
					attrs["axis"] = fmt.Sprint(a - nd) // negative form
					shape := in.Shape()
					st := strides(shape)
					oshape = slices.Delete(slices.Clone(shape), a, a+1)
					want = gather(in, append(slices.Clone(oshape[:a]), append([]int{1}, oshape[a:]...)...), func([]int) int { return 0 })
					keep := slices.Clone(shape)
					keep[a] = 1
					idx := make([]int, nd)
					for k := range want {
						r := k
						for d := nd - 1; d >= 0; d-- {
							idx[d] = r % keep[d]
							r /= keep[d]
						}
						row := make([]float64, shape[a])
						for j := range row {
							off := 0
							for d := range nd {
								i := idx[d]
								if d == a {
									i = j
								}
								off += i * st[d]
							}
							row[j] = in.Float64At(off)
						}
						want[k] = argRef(row, isMax)
					}
				}
				out := kaRun(t, name, attrs, in)
				kaCheck(t, fmt.Sprintf("%s %v on %s", name, attrs, in), out[0], oshape, want, 0, 0)
			}
		}
	}
	out := kaRun(t, "argmax", map[string]string{"axis": "1", "keepdims": "true"}, tie)
	kaCheck(t, "argmax keepdims", out[0], []int{2, 1}, []float64{1, 0}, 0, 0)
	out = kaRun(t, "argmax", map[string]string{"axis": "1"}, nan)
	kaCheck(t, "argmax NaN", out[0], []int{3}, []float64{3, 3, 3}, 0, 0)
}

func TestReduceNoAllocs(t *testing.T) {
	x := kaRand(1, 3, 4, 5)
	for _, name := range []string{"sum", "mean", "max", "min"} {
		kaNoAllocs(t, name, map[string]string{"axis": "(0,2)"}, x)
		kaNoAllocs(t, name, map[string]string{"axis": "1", "exclude": "true", "keepdims": "true"}, x)
		kaNoAllocs(t, name, nil, x)
	}
	kaNoAllocs(t, "argmax", map[string]string{"axis": "1"}, x)
	kaNoAllocs(t, "argmin", nil, x)
}

// TestReduceUnitDims covers inputs with size-1 dims between and around the
// reduced axes (they are merged away by the kernel).
func TestReduceUnitDims(t *testing.T) {
	x := kaRand(41, 2, 1, 3, 1, 4)
	for _, c := range []struct {
		axis string
		red  []bool
	}{
		{"(1,2)", []bool{false, true, true, false, false}},
		{"(0,3,4)", []bool{true, false, false, true, true}},
		{"(1,3)", []bool{false, true, false, true, false}},
		{"(0,2,4)", []bool{true, false, true, false, true}},
	} {
		for _, kind := range []string{"sum", "mean", "max", "min"} {
			shape, want := reduceRef(x, c.red, kind)
			out := kaRun(t, kind, map[string]string{"axis": c.axis, "keepdims": "1"}, x)
			kaCheck(t, kind+" "+c.axis, out[0], shape, want, 2e-6, 1e-6)
		}
	}
}
