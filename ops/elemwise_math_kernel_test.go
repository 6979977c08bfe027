package ops_test

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// The goldens (testdata/ops/cases_elem.py) check the values of the
// elementwise family; these tests cover what they cannot: in-place runs,
// allocation, attribute errors and arbitrary attribute strings.

func TestElemMathInPlace(t *testing.T) {
	for _, c := range []struct {
		op    string
		attrs map[string]string
		f     func(float64) float64
	}{
		{"sin", nil, math.Sin},
		{"_npi_arctan", nil, math.Atan},
		{"rint", nil, func(v float64) float64 { // ties go down
			if f := math.Floor(v); v-f <= 0.5 {
				return f
			}
			return math.Ceil(v)
		}},
		{"_greater_scalar", map[string]string{"scalar": "0.5"}, func(v float64) float64 {
			if v > 0.5 {
				return 1
			}
			return 0
		}},
		{"hard_sigmoid", map[string]string{"alpha": "0.5", "beta": "0.25"}, func(v float64) float64 {
			return math.Max(0, math.Min(1, float64(float32(0.5))*v+0.25))
		}},
	} {
		x := kaT(kaS(2, 5), -2.5, -1.5, -0.5, 0, 0.5, 1.5, 2.5, 0.75, -3, 3)
		want := kaMap(x, c.f)
		if err := kaForward(c.op, c.attrs, []*tensor.Tensor{x}, []*tensor.Tensor{x}); err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
		kaCheck(t, c.op+" in place", x, kaS(2, 5), want, 1e-6, 0)
	}
	// A comparison whose output shares the rhs.
	x, y := kaT(kaS(4), 1, 2, 3, kaNaN), kaT(kaS(4), 1, 3, 2, kaNaN)
	if err := kaForward("_lesser_equal", nil, []*tensor.Tensor{x, y}, []*tensor.Tensor{y}); err != nil {
		t.Fatal(err)
	}
	kaCheck(t, "_lesser_equal out=rhs", y, kaS(4), []float64{1, 1, 0, 0}, 0, 0)
}

func TestElemMathNoAllocs(t *testing.T) {
	for _, name := range []string{"sin", "erfinv", "gammaln", "rint", "logical_not", "_npi_exp", "_npx_relu", "_np_copy"} {
		kaNoAllocs(t, name, nil, kaRand(1, 1, 3, 9))
	}
	kaNoAllocs(t, "hard_sigmoid", nil, kaRand(1, 1, 3, 9))
	for _, name := range []string{"_equal_scalar", "_mod_scalar", "_rmod_scalar", "_hypot_scalar", "_logical_xor_scalar"} {
		kaNoAllocs(t, name, map[string]string{"scalar": "0.5"}, kaRand(1, 1, 3, 9))
	}
	for _, name := range []string{"_equal", "_mod", "_hypot", "_logical_and"} {
		kaNoAllocs(t, name, nil, kaRand(1, 1, 3, 9), kaRand(2, 1, 3, 9))
	}
	for _, name := range []string{"_npi_isnan", "_npi_logical_not", "_npi_isfinite"} {
		kaNoAllocs(t, name, nil, kaRand(1, 1, 3, 9))
	}
	kaNoAllocs(t, "_npi_less_scalar", map[string]string{"scalar": "0"}, kaRand(1, 1, 3, 9))
	kaNoAllocs(t, "_npi_around", map[string]string{"decimals": "2"}, kaRand(1, 1, 3, 9))
	kaNoAllocs(t, "_npi_nan_to_num", map[string]string{"posinf": "1"}, kaRand(1, 1, 3, 9))
	for _, name := range []string{"broadcast_greater", "broadcast_mod", "broadcast_logical_or", "_npi_equal", "_npi_mod"} {
		kaNoAllocs(t, name, nil, kaRand(1, 1, 2, 1, 3), kaRand(2, 1, 1, 4, 1))
	}
}

// TestElemMathShapes checks shape errors: same-shape ops reject differing
// shapes and broadcast ops incompatible ones, at inference.
func TestElemMathShapes(t *testing.T) {
	if _, err := kaRunErr("_equal", nil, kaRand(1, 1, 2, 3), kaRand(2, 1, 3, 2)); err == nil {
		t.Error("_equal accepted shapes (2,3) and (3,2)")
	}
	if _, err := kaRunErr("broadcast_lesser", nil, kaRand(1, 1, 2, 3), kaRand(2, 1, 4)); err == nil {
		t.Error("broadcast_lesser accepted shapes (2,3) and (4,)")
	}
	out, err := kaRunErr("broadcast_not_equal", nil, kaRand(1, 1, 2, 1), kaRand(2, 1, 1, 3))
	if err != nil || out[0].Dim(0) != 2 || out[0].Dim(1) != 3 || out[0].DType() != tensor.Float32 {
		t.Errorf("broadcast_not_equal (2,1) (1,3): %v %v", out, err)
	}
}

func TestElemMathBadAttrs(t *testing.T) {
	for _, c := range []struct {
		op    string
		attrs map[string]string
	}{
		{"hard_sigmoid", map[string]string{"alpha": "slope"}},
		{"hard_sigmoid", map[string]string{"beta": "0.5x"}},
		{"hard_sigmoid", map[string]string{"gamma": "1"}},
		{"_greater_scalar", map[string]string{"scalar": ""}},
		{"_mod_scalar", map[string]string{"scalar": "1", "is_int": "maybe"}},
		{"_contrib_gradientmultiplier", map[string]string{"scalar": "[1]"}},
	} {
		op, _ := ops.Lookup(c.op)
		if _, err := op.Parse(c.attrs); err == nil {
			t.Errorf("%s accepted %v", c.op, c.attrs)
		}
	}
	op, _ := ops.Lookup("hard_sigmoid")
	p, err := op.Parse(map[string]string{"__layout__": "NCHW"})
	if err != nil {
		t.Fatal(err)
	}
	if hp := p.(*ops.HardSigmoidParam); hp.Alpha != 0.2 || hp.Beta != 0.5 {
		t.Errorf("hard_sigmoid defaults %+v", hp)
	}
}

// FuzzElemAttrs feeds arbitrary attribute strings to the new parsers: a
// value is accepted or rejected with an error, never a panic, and an
// accepted one runs.
func FuzzElemAttrs(f *testing.F) {
	for _, s := range []string{"0.2", "-1e39", "nan", "inf", "1e-45", "", " 3 ", "0x10", "True", "(1,)"} {
		f.Add(s, "0.5")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		x := kaT(kaS(2, 2), -1, 0, 1, kaNaN)
		for _, c := range []struct {
			op    string
			attrs map[string]string
		}{
			{"hard_sigmoid", map[string]string{"alpha": a, "beta": b}},
			{"_mod_scalar", map[string]string{"scalar": a, "is_int": b}},
			{"_equal_scalar", map[string]string{"scalar": a}},
			{"_contrib_gradientmultiplier", map[string]string{"scalar": b}},
			{"_npi_around", map[string]string{"decimals": a}},
			{"_npi_nan_to_num", map[string]string{"nan": a, "posinf": b, "neginf": b}},
		} {
			op, _ := ops.Lookup(c.op)
			if _, err := op.Parse(c.attrs); err != nil {
				continue
			}
			if _, err := opstest.Run(c.op, c.attrs, []*tensor.Tensor{x}, nil); err != nil {
				t.Errorf("%s %v: parsed but did not run: %v", c.op, c.attrs, err)
			}
		}
	})
}

// BenchmarkElemMath times unary math, comparison and broadcast kernels of
// the elementwise family on 64k elements (pure-Go loops except erf and
// tanh, which use the asm kernels).
func BenchmarkElemMath(b *testing.B) {
	const n = 1 << 16
	x, y := kaRand(1, 2, n), kaRand(2, 2, n)
	for _, c := range []struct {
		name, op string
		attrs    map[string]string
		in       []*tensor.Tensor
	}{
		{"erf", "erf", nil, []*tensor.Tensor{x}},
		{"tanh", "tanh", nil, []*tensor.Tensor{x}},
		{"sin", "sin", nil, []*tensor.Tensor{x}},
		{"rint", "rint", nil, []*tensor.Tensor{x}},
		{"_greater_scalar", "_greater_scalar", map[string]string{"scalar": "0"}, []*tensor.Tensor{x}},
		{"_equal", "_equal", nil, []*tensor.Tensor{x, y}},
		{"broadcast_lesser_row", "broadcast_lesser", nil, []*tensor.Tensor{kaRand(1, 1, 256, 256), kaRand(2, 1, 256)}},
	} {
		op, _ := ops.Lookup(c.op)
		var params any
		if op.Parse != nil {
			var err error
			if params, err = op.Parse(c.attrs); err != nil {
				b.Fatal(err)
			}
		}
		out, err := opstest.Run(c.op, c.attrs, c.in, nil)
		if err != nil {
			b.Fatal(err)
		}
		ctx := &ops.Ctx{Threads: 1}
		asm.ForEachImpl(func(impl string) {
			b.Run(fmt.Sprintf("op=%s/impl=%s", c.name, impl), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := op.Forward(ctx, params, c.in, out); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(out[0].Len())*float64(b.N)/b.Elapsed().Seconds()/1e6, "Melem/s")
			})
		})
	}
}

// TestElemCompareBroadcastRows runs every comparison with each side
// repeated along the rows (the row-scalar paths), NaN included.
func TestElemCompareBroadcastRows(t *testing.T) {
	refs := map[string]func(a, b float64) bool{
		"equal": func(a, b float64) bool { return a == b }, "not_equal": func(a, b float64) bool { return a != b },
		"greater": func(a, b float64) bool { return a > b }, "greater_equal": func(a, b float64) bool { return a >= b },
		"lesser": func(a, b float64) bool { return a < b }, "lesser_equal": func(a, b float64) bool { return a <= b },
	}
	col := kaT(kaS(4, 1), 1, kaNaN, -2, kaInf)
	row := kaT(kaS(1, 5), 1, 0, kaNaN, -2, 3)
	for fn, f := range refs {
		g := func(a, b float64) float64 {
			if f(a, b) {
				return 1
			}
			return 0
		}
		for _, in := range [][2]*tensor.Tensor{{col, row}, {row, col}} {
			kaExpect(t, "broadcast_"+fn, nil, in[:], kaS(4, 5), kaBroadcastRef(in[0], in[1], kaS(4, 5), g), 0, 0)
		}
	}
}

// TestElemNumpyCompareDTypes checks how the numpy comparisons meet a
// scalar on non-float32 inputs: DType(alpha) (an integer truncated, a bool
// true for any non-zero), or a double for an integer input when is_int is
// false; int64 (not exact in float64) is refused.
func TestElemNumpyCompareDTypes(t *testing.T) {
	i32, _ := tensor.FromSlice([]int32{1, 2, 3, -2})
	b, _ := tensor.FromSlice([]bool{true, false, true, false})
	for _, c := range []struct {
		op    string
		attrs map[string]string
		in    *tensor.Tensor
		want  []bool
	}{
		{"_npi_equal_scalar", map[string]string{"scalar": "2.5"}, i32, []bool{false, true, false, false}},
		{"_npi_equal_scalar", map[string]string{"scalar": "2.5", "is_int": "False"}, i32, []bool{false, false, false, false}},
		{"_npi_less_equal_scalar", map[string]string{"scalar": "-2.7"}, i32, []bool{false, false, false, true}},
		{"_npi_greater_scalar", map[string]string{"scalar": "0.5"}, b, []bool{false, false, false, false}},
		{"_npi_not_equal_scalar", map[string]string{"scalar": "0"}, b, []bool{true, false, true, false}},
		{"_npi_logical_not", nil, i32, []bool{false, false, false, false}},
	} {
		out, err := opstest.Run(c.op, c.attrs, []*tensor.Tensor{c.in}, nil)
		if err != nil {
			t.Fatalf("%s %v: %v", c.op, c.attrs, err)
		}
		got, err := tensor.Data[bool](out[0])
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s %v on %s: %v %v, want %v", c.op, c.attrs, c.in.DType(), got, err, c.want)
		}
	}
	i64, _ := tensor.FromSlice([]int64{1 << 60})
	if _, err := opstest.Run("_npi_isnan", nil, []*tensor.Tensor{i64}, nil); err == nil {
		t.Error("_npi_isnan accepted int64")
	}
}
