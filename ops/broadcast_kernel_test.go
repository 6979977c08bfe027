package ops_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// kaBroadcastRef applies f with NumPy broadcasting in float64.
func kaBroadcastRef(x, y *tensor.Tensor, out []int, f func(a, b float64) float64) []float64 {
	n := 1
	for _, d := range out {
		n *= d
	}
	at := func(t *tensor.Tensor, idx []int) float64 {
		off := len(idx) - t.NDim()
		flat := 0
		for d := range t.NDim() {
			i := idx[d+off]
			if t.Dim(d) == 1 {
				i = 0
			}
			flat = flat*t.Dim(d) + i
		}
		return t.Float64At(flat)
	}
	want := make([]float64, n)
	for i := range want {
		idx := kaIndex(i, out)
		want[i] = f(at(x, idx), at(y, idx))
	}
	return want
}

func TestBroadcastKernel(t *testing.T) {
	shapes := []struct{ a, b, out []int }{
		{kaS(2, 3), kaS(2, 3), kaS(2, 3)},
		{kaS(2, 1, 3), kaS(1, 4, 1), kaS(2, 4, 3)},
		{kaS(3), kaS(2, 3), kaS(2, 3)},
		{kaS(2, 3), kaS(3), kaS(2, 3)},
		{kaS(1), kaS(2, 2), kaS(2, 2)},
		{kaS(4, 5), kaS(1, 1), kaS(4, 5)},
		{kaS(4, 1), kaS(4, 5), kaS(4, 5)},
		{kaS(4, 5), kaS(4, 1), kaS(4, 5)},
		{kaS(2, 3, 1, 5), kaS(3, 7, 1), kaS(2, 3, 7, 5)},
		{kaS(1, 17), kaS(3, 1), kaS(3, 17)},
		{kaS(3, 1), kaS(1), kaS(3, 1)},
		{kaS(2, 0, 3), kaS(1, 3), kaS(2, 0, 3)},
	}
	names := map[string]string{
		"broadcast_add": "add", "broadcast_sub": "sub", "broadcast_mul": "mul", "broadcast_div": "div",
		"broadcast_power": "power", "broadcast_maximum": "maximum", "broadcast_minimum": "minimum",
		"broadcast_plus": "add", "broadcast_minus": "sub",
	}
	for name, fn := range names {
		for si, s := range shapes {
			t.Run(fmt.Sprintf("%s/%v+%v", name, s.a, s.b), func(t *testing.T) {
				x, y := kaRand(uint64(si), 3, s.a...), kaRand(uint64(si+50), 3, s.b...)
				if fn == "power" {
					for i, v := range x.Float32s() {
						x.Float32s()[i] = float32(math.Abs(float64(v))) + 0.1
					}
				}
				kaExpect(t, name, nil, []*tensor.Tensor{x, y}, s.out, kaBroadcastRef(x, y, s.out, kaBinaryRefs[fn]), 1e-6, 0)
			})
		}
	}
}

// TestBroadcastNaN checks that maximum and minimum propagate NaN from
// either operand on every broadcast path.
func TestBroadcastNaN(t *testing.T) {
	x := kaT(kaS(2, 3), kaNaN, 1, 2, 3, kaNaN, -1)
	for _, b := range []*tensor.Tensor{kaT(kaS(2, 1), 0, kaNaN), kaT(kaS(1, 3), kaNaN, 0, 5), kaT(kaS(2, 3), 1, kaNaN, 1, 1, 1, kaNaN)} {
		for _, name := range []string{"broadcast_maximum", "broadcast_minimum"} {
			fn := name[len("broadcast_"):]
			kaExpect(t, name, nil, []*tensor.Tensor{x, b}, kaS(2, 3), kaBroadcastRef(x, b, kaS(2, 3), kaBinaryRefs[fn]), 0, 0)
			kaExpect(t, name, nil, []*tensor.Tensor{b, x}, kaS(2, 3), kaBroadcastRef(b, x, kaS(2, 3), kaBinaryRefs[fn]), 0, 0)
		}
	}
}

func TestBroadcastNoAllocs(t *testing.T) {
	kaNoAllocs(t, "broadcast_add", nil, kaRand(1, 1, 2, 1, 3), kaRand(2, 1, 1, 4, 1))
	kaNoAllocs(t, "broadcast_mul", nil, kaRand(1, 1, 8, 16), kaRand(2, 1, 16))
	kaNoAllocs(t, "broadcast_maximum", nil, kaRand(1, 1, 8, 1), kaRand(2, 1, 8, 16))
}

func TestScalarKernel(t *testing.T) {
	refs := map[string]func(v, s float64) float64{
		"_plus_scalar":    func(v, s float64) float64 { return v + s },
		"_minus_scalar":   func(v, s float64) float64 { return v - s },
		"_rminus_scalar":  func(v, s float64) float64 { return s - v },
		"_mul_scalar":     func(v, s float64) float64 { return v * s },
		"_div_scalar":     func(v, s float64) float64 { return v / s },
		"_rdiv_scalar":    func(v, s float64) float64 { return s / v },
		"_power_scalar":   math.Pow,
		"_rpower_scalar":  func(v, s float64) float64 { return math.Pow(s, v) },
		"_maximum_scalar": kaBinaryRefs["maximum"],
		"_minimum_scalar": kaBinaryRefs["minimum"],
	}
	aliases := map[string]string{"_PlusScalar": "_plus_scalar", "_RMinusScalar": "_rminus_scalar", "_DivScalar": "_div_scalar"}
	for alias, name := range aliases {
		refs[alias] = refs[name]
	}
	for name, f := range refs {
		for _, s := range []float64{2, -0.5, 0, 3} {
			t.Run(fmt.Sprintf("%s/%g", name, s), func(t *testing.T) {
				x := kaT(kaS(2, 7), 1, -2, 0, 3.5, 0.25, 2, 9, -1, 4, 7, 0.5, -3, 1.5, kaNaN)
				want := kaMap(x, func(v float64) float64 { return f(v, s) })
				kaExpect(t, name, map[string]string{"scalar": fmt.Sprint(s)}, []*tensor.Tensor{x}, x.Shape(), want, 1e-6, 0)
			})
		}
	}
	// The scalar attribute defaults to 1.
	x := kaRand(1, 1, 5)
	kaExpect(t, "_plus_scalar", nil, []*tensor.Tensor{x}, kaS(5), kaMap(x, func(v float64) float64 { return v + 1 }), 1e-7, 0)
}

func TestScalarNoAllocs(t *testing.T) {
	for _, name := range []string{"_plus_scalar", "_rminus_scalar", "_div_scalar", "_power_scalar", "_maximum_scalar"} {
		kaNoAllocs(t, name, map[string]string{"scalar": "1.5"}, kaRand(1, 1, 3, 9))
	}
}
