package ops_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// TestBroadcastMergedDims covers operand patterns whose dims the kernel
// merges or drops (runs of size-1 dims, uniform runs on both sides, a
// single element).
func TestBroadcastMergedDims(t *testing.T) {
	shapes := [][2][]int{
		{{3, 1, 5}, {3, 4, 5}},
		{{1, 4, 1}, {3, 4, 5}},
		{{3, 4, 1}, {1, 1, 5}},
		{{2, 3, 4, 5}, {1, 3, 1, 1}},
		{{2, 3, 4, 5}, {2, 1, 4, 5}},
		{{2, 3, 4, 5}, {2, 3, 1, 5}},
		{{2, 1, 4, 1}, {1, 3, 1, 5}},
		{{1, 1, 1}, {1, 1}},
		{{5, 1, 1}, {1, 1, 1}},
	}
	for fn, ref := range kaBinaryRefs {
		name := "broadcast_" + fn
		for si, s := range shapes {
			x, y := kaRand(uint64(si), 3, s[0]...), kaRand(uint64(si+70), 3, s[1]...)
			if fn == "power" {
				for i, v := range x.Float32s() {
					x.Float32s()[i] = float32(math.Abs(float64(v))) + 0.1
				}
			}
			out := make([]int, max(len(s[0]), len(s[1])))
			for d := range out {
				a, b := 1, 1
				if j := d - (len(out) - len(s[0])); j >= 0 {
					a = s[0][j]
				}
				if j := d - (len(out) - len(s[1])); j >= 0 {
					b = s[1][j]
				}
				out[d] = max(a, b)
			}
			kaExpect(t, name, nil, []*tensor.Tensor{x, y}, out, kaBroadcastRef(x, y, out, ref), 1e-6, 0)
		}
	}
	// Bias add over NCHW, hand-checked.
	x := kaT(kaS(1, 2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8)
	kaExpect(t, "broadcast_add", nil, []*tensor.Tensor{x, kaT(kaS(1, 2, 1, 1), 10, 20)}, kaS(1, 2, 2, 2),
		[]float64{11, 12, 13, 14, 25, 26, 27, 28}, 0, 0)
}

// TestReduceUnitDims covers size-1 dims between and around the reduced
// axes (the kernel merges them away).
func TestReduceUnitDims(t *testing.T) {
	x := kaRand(41, 2, 2, 1, 3, 1, 4)
	for _, c := range []struct {
		axis string
		red  []bool
	}{
		{"(1,2)", []bool{false, true, true, false, false}},
		{"(0,3,4)", []bool{true, false, false, true, true}},
		{"(1,3)", []bool{false, true, false, true, false}},
		{"(0,2,4)", []bool{true, false, true, false, true}},
	} {
		var shape []int
		for d, r := range c.red {
			if r {
				shape = append(shape, 1)
			} else {
				shape = append(shape, x.Dim(d))
			}
		}
		for _, kind := range []string{"sum", "mean", "max", "min"} {
			kaExpect(t, kind, map[string]string{"axis": c.axis, "keepdims": "1"}, []*tensor.Tensor{x}, shape, kaReduceRef(x, c.red, kind), 2e-6, 1e-6)
		}
	}
	kaExpect(t, "mean", map[string]string{"axis": "(2,3)"}, []*tensor.Tensor{kaT(kaS(1, 2, 2, 1), 1, 2, 3, 5)}, kaS(1, 2), []float64{1.5, 4}, 0, 0)
}

// TestPReLUGammaBroadcast covers MXNet's expand_shape rule: gamma's dims
// match data axes 1 and 0 from the right, each the data dim or 1.
func TestPReLUGammaBroadcast(t *testing.T) {
	x := kaRand(7, 2, 2, 3, 4, 5)
	attrs := map[string]string{"act_type": "prelu"}
	for _, c := range []struct {
		gamma  []int
		g0, g1 int
	}{{kaS(3), 1, 3}, {kaS(1), 1, 1}, {kaS(1, 3), 1, 3}, {kaS(2, 3), 2, 3}, {kaS(2, 1), 2, 1}} {
		g := kaRand(9, 1, c.gamma...)
		want := kaF64(x)
		inner := 20
		for i := range want {
			n, ch := i/inner/3, i/inner%3
			gi := 0
			if c.g0 > 1 {
				gi = n * c.g1
			}
			if c.g1 > 1 {
				gi += ch
			}
			if !(want[i] > 0) {
				want[i] *= g.Float64At(gi)
			}
		}
		kaExpect(t, "LeakyReLU", attrs, []*tensor.Tensor{x, g}, x.Shape(), want, 1e-6, 0)
	}
	kaExpect(t, "LeakyReLU", attrs, []*tensor.Tensor{kaT(kaS(2, 1, 2), -2, 4, -2, -4), kaT(kaS(2, 1), 0.5, -1)},
		kaS(2, 1, 2), []float64{-1, 4, 2, 4}, 0, 0)
	if _, err := kaRunErr("LeakyReLU", attrs, x, kaRand(1, 1, 3, 3)); err == nil {
		t.Error("gamma (3,3) on data (2,3,4,5) accepted")
	}
}

// TestTransposeEveryDType checks the word-sized gathers of every element
// size against an index-computed reference.
func TestTransposeEveryDType(t *testing.T) {
	dtypes := []tensor.DType{tensor.Float32, tensor.Float64, tensor.Float16, tensor.BFloat16, tensor.Uint8,
		tensor.Int8, tensor.Int16, tensor.Uint16, tensor.Int32, tensor.Uint32, tensor.Int64, tensor.Uint64, tensor.Bool}
	shape := kaS(2, 3, 4)
	perm := kaS(2, 0, 1)
	oshape := kaS(4, 2, 3)
	for _, dt := range dtypes {
		x, err := tensor.New(dt, shape...)
		if err != nil {
			t.Fatal(err)
		}
		for i := range x.Len() {
			v := float64(i % 100)
			if dt == tensor.Bool {
				v = float64(i % 3 % 2)
			}
			x.SetFloat64At(i, v)
		}
		want := make([]float64, x.Len())
		for k := range want {
			oi := kaIndex(k, oshape)
			ii := make([]int, 3)
			for a, p := range perm {
				ii[p] = oi[a]
			}
			want[k] = x.Float64At(kaFlat(ii, shape))
		}
		out := kaRun(t, "transpose", map[string]string{"axes": "(2,0,1)"}, x)
		if out[0].DType() != dt || !slices.Equal(out[0].Shape(), oshape) {
			t.Fatalf("transpose %s: got %s", dt, out[0])
		}
		for k, w := range want {
			if got := out[0].Float64At(k); got != w {
				t.Fatalf("transpose %s: element %d = %v, want %v", dt, k, got, w)
			}
		}
		sl := kaRun(t, "slice", map[string]string{"begin": "(None,None,3)", "end": "(None,None,0)", "step": "(1,2,-2)"}, x)
		if got := fmt.Sprint(sl[0].Shape()); got != "[2 2 2]" {
			t.Fatalf("slice %s: shape %s", dt, got)
		}
		for k := range sl[0].Len() {
			i := kaIndex(k, kaS(2, 2, 2))
			if got, w := sl[0].Float64At(k), x.Float64At(kaFlat([]int{i[0], 2 * i[1], 3 - 2*i[2]}, shape)); got != w {
				t.Fatalf("slice %s: element %d = %v, want %v", dt, k, got, w)
			}
		}
	}
}

func TestMergedDimsNoAllocs(t *testing.T) {
	kaNoAllocs(t, "broadcast_add", nil, kaRand(1, 1, 2, 3, 4, 5), kaRand(2, 1, 1, 3, 1, 1))
	kaNoAllocs(t, "mean", map[string]string{"axis": "(2,3)"}, kaRand(1, 1, 2, 3, 4, 5))
	kaNoAllocs(t, "LeakyReLU", map[string]string{"act_type": "prelu"}, kaRand(1, 1, 2, 3, 4), kaRand(2, 1, 2, 3))
	x, _ := tensor.New(tensor.Int64, 3, 4, 5)
	kaNoAllocs(t, "transpose", nil, x)
}
