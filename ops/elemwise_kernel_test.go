package ops_test

import (
	"math"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// kaBinaryRefs are the float64 references of the binary elementwise ops by
// MXNet suffix; maximum and minimum propagate NaN from either side.
var kaBinaryRefs = map[string]func(a, b float64) float64{
	"add":   func(a, b float64) float64 { return a + b },
	"sub":   func(a, b float64) float64 { return a - b },
	"mul":   func(a, b float64) float64 { return a * b },
	"div":   func(a, b float64) float64 { return a / b },
	"power": math.Pow,
	"maximum": func(a, b float64) float64 {
		if math.IsNaN(a) || math.IsNaN(b) {
			return math.NaN()
		}
		return math.Max(a, b)
	},
	"minimum": func(a, b float64) float64 {
		if math.IsNaN(a) || math.IsNaN(b) {
			return math.NaN()
		}
		return math.Min(a, b)
	},
}

func kaZip(x, y *tensor.Tensor, f func(a, b float64) float64) []float64 {
	a, b := kaF64(x), kaF64(y)
	for i := range a {
		a[i] = f(a[i], b[i])
	}
	return a
}

func TestElemwiseBinaryKernel(t *testing.T) {
	ops := map[string]string{
		"elemwise_add": "add", "elemwise_sub": "sub", "elemwise_mul": "mul", "elemwise_div": "div",
		"_power": "power", "_maximum": "maximum", "_minimum": "minimum",
		"_plus": "add", "_Minus": "sub", "_Mul": "mul", "_Div": "div", "_Maximum": "maximum",
	}
	for name, fn := range ops {
		t.Run(name, func(t *testing.T) {
			x := kaT(kaS(2, 5), 1, -2, 0, 3.5, kaNaN, 2, 0, -1, kaInf, 7)
			y := kaT(kaS(2, 5), 2, 4, 0, -0.5, 1, kaNaN, 3, 0, 1, -7)
			if fn == "power" {
				x = kaT(kaS(2, 5), 2, -2, 0, 1.5, 4, 9, 0, -1, 0.5, 3)
				y = kaT(kaS(2, 5), 3, 2, 0, -2, 0.5, 0.5, -1, 0.5, 2, 1.25)
			}
			kaExpect(t, name, nil, []*tensor.Tensor{x, y}, kaS(2, 5), kaZip(x, y, kaBinaryRefs[fn]), 1e-6, 0)
			a, b := kaRand(1, 3, 3, 11), kaRand(2, 3, 3, 11)
			if fn == "power" {
				a = kaRand(1, 3, 3, 11)
				for i, v := range a.Float32s() {
					a.Float32s()[i] = float32(math.Abs(float64(v))) + 0.1
				}
			}
			kaExpect(t, name, nil, []*tensor.Tensor{a, b}, kaS(3, 11), kaZip(a, b, kaBinaryRefs[fn]), 1e-6, 0)
		})
	}
}

func TestElemwiseBinaryInPlace(t *testing.T) {
	x, y := kaRand(1, 1, 17), kaRand(2, 1, 17)
	want := kaZip(x, y, kaBinaryRefs["sub"])
	// Output sharing the rhs's storage.
	op := []*tensor.Tensor{y}
	if err := kaForward("elemwise_sub", nil, []*tensor.Tensor{x, y}, op); err != nil {
		t.Fatal(err)
	}
	kaCheck(t, "out=rhs", y, kaS(17), want, 0, 0)
}

func TestElemwiseUnaryKernel(t *testing.T) {
	refs := map[string]func(float64) float64{
		"exp": math.Exp, "log": math.Log, "sqrt": math.Sqrt,
		"square": func(v float64) float64 { return v * v }, "abs": math.Abs,
		"negative": func(v float64) float64 { return -v },
	}
	for name, f := range refs {
		t.Run(name, func(t *testing.T) {
			x := kaT(kaS(13), 0, 1, -1, 2.5, -2.5, 0.001, 40, -40, 88, -100, kaInf, -kaInf, kaNaN)
			kaExpect(t, name, nil, []*tensor.Tensor{x}, x.Shape(), kaMap(x, f), 2e-6, 1e-37)
			r := kaRand(3, 4, 5, 7)
			kaExpect(t, name, nil, []*tensor.Tensor{r}, r.Shape(), kaMap(r, f), 2e-6, 0)
		})
	}
}

func TestCopyFamilyKernel(t *testing.T) {
	for _, name := range []string{"_copy", "identity", "BlockGrad", "stop_gradient", "make_loss"} {
		x := kaRand(4, 2, 3, 5)
		kaExpect(t, name, nil, []*tensor.Tensor{x}, x.Shape(), kaF64(x), 0, 0)
	}
	// Any dtype moves bytes unchanged.
	v, _ := tensor.FromSlice([]int64{1, -2, 1 << 40}, 3)
	outs := kaRun(t, "_copy", nil, v)
	kaCheck(t, "int64 copy", outs[0], kaS(3), []float64{1, -2, 1 << 40}, 0, 0)
}

func TestAddNKernel(t *testing.T) {
	for n := 1; n <= 5; n++ {
		in := make([]*tensor.Tensor, n)
		want := make([]float64, 21)
		for i := range in {
			in[i] = kaRand(uint64(i), 2, 3, 7)
			for j, v := range kaF64(in[i]) {
				want[j] += v
			}
		}
		kaExpect(t, "add_n", map[string]string{"num_args": string(rune('0' + n))}, in, kaS(3, 7), want, 1e-6, 1e-6)
	}
	// In place on the first input.
	a, b, c := kaRand(1, 1, 9), kaRand(2, 1, 9), kaRand(3, 1, 9)
	want := kaZip(a, b, kaBinaryRefs["add"])
	for i := range want {
		want[i] += c.Float64At(i)
	}
	if err := kaForward("add_n", map[string]string{"num_args": "3"}, []*tensor.Tensor{a, b, c}, []*tensor.Tensor{a}); err != nil {
		t.Fatal(err)
	}
	kaCheck(t, "in place", a, kaS(9), want, 1e-6, 1e-6)
}

func TestCastKernel(t *testing.T) {
	x := kaT(kaS(10), 1.7, -1.7, 0, 2.5, -0.5, 255.9, 65504, 1e-8, 3.0517578e-05, 0.1)
	cases := []struct {
		dtype string
		want  []float64
	}{
		{"float32", kaF64(x)},
		{"float64", kaF64(x)},
		{"int32", []float64{1, -1, 0, 2, 0, 255, 65504, 0, 0, 0}},
		{"int64", []float64{1, -1, 0, 2, 0, 255, 65504, 0, 0, 0}},
		{"int8", []float64{1, -1, 0, 2, 0, -1, -32, 0, 0, 0}},
		{"uint8", []float64{1, 255, 0, 2, 0, 255, 224, 0, 0, 0}},
		{"bool", []float64{1, 1, 0, 1, 1, 1, 1, 1, 1, 1}},
		// float16 rounds to nearest even; 1e-8 underflows to 0.
		{"float16", []float64{1.7001953125, -1.7001953125, 0, 2.5, -0.5, 255.875, 65504, 0, 3.0517578125e-05, 0.0999755859375}},
		// bfloat16 keeps the top 16 bits.
		{"bfloat16", []float64{1.6953125, -1.6953125, 0, 2.5, -0.5, 255, 65280, 9.953510016202927e-09, 3.0517578125e-05, 0.099609375}},
	}
	for _, c := range cases {
		asmEach(t, func(impl string) {
			outs := kaRun(t, "Cast", map[string]string{"dtype": c.dtype}, x)
			if got := outs[0].DType().String(); got != c.dtype {
				t.Fatalf("Cast to %s gave %s", c.dtype, got)
			}
			kaCheck(t, "Cast "+c.dtype+" impl="+impl, outs[0], kaS(10), c.want, 0, 0)
		})
	}
	// Back from float16 (exact) and from integers.
	h := kaRun(t, "Cast", map[string]string{"dtype": "float16"}, x)[0]
	back := kaRun(t, "Cast", map[string]string{"dtype": "float32"}, h)[0]
	kaCheck(t, "float16->float32", back, kaS(10), kaF64(h), 0, 0)
	i32, _ := tensor.FromSlice([]int32{-3, 7, 1 << 24}, 3)
	kaCheck(t, "int32->float32", kaRun(t, "Cast", map[string]string{"dtype": "float32"}, i32)[0], kaS(3), []float64{-3, 7, 1 << 24}, 0, 0)
}

func TestElemwiseNoAllocs(t *testing.T) {
	for _, name := range []string{"elemwise_add", "elemwise_div", "_power", "_maximum"} {
		kaNoAllocs(t, name, nil, kaRand(1, 1, 3, 9), kaRand(2, 1, 3, 9))
	}
	for _, name := range []string{"exp", "log", "sqrt", "square", "abs", "negative", "_copy", "BlockGrad"} {
		kaNoAllocs(t, name, nil, kaRand(1, 1, 3, 9))
	}
	kaNoAllocs(t, "add_n", map[string]string{"num_args": "3"}, kaRand(1, 1, 9), kaRand(2, 1, 9), kaRand(3, 1, 9))
	for _, dt := range []string{"float16", "int32", "float32", "bool"} {
		kaNoAllocs(t, "Cast", map[string]string{"dtype": dt}, kaRand(1, 1, 3, 9))
	}
}
