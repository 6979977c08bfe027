package ops_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// maxRef and minRef are MXNet's maximum/minimum: a NaN lhs wins, otherwise
// a > b ? a : b (so a NaN rhs also comes through).
func maxRef(a, b float64) float64 {
	if math.IsNaN(a) || a > b {
		return a
	}
	return b
}

func minRef(a, b float64) float64 {
	if math.IsNaN(a) || a < b {
		return a
	}
	return b
}

// binaryRefs are the float64 references of the binary ops by MXNet suffix.
// power is rounded through float32 operands like the kernels.
var binaryRefs = map[string]func(a, b float64) float64{
	"add":     func(a, b float64) float64 { return a + b },
	"sub":     func(a, b float64) float64 { return a - b },
	"mul":     func(a, b float64) float64 { return a * b },
	"div":     func(a, b float64) float64 { return a / b },
	"power":   math.Pow,
	"maximum": maxRef,
	"minimum": minRef,
}

var elemwiseNames = map[string]string{
	"add": "elemwise_add", "sub": "elemwise_sub", "mul": "elemwise_mul", "div": "elemwise_div",
	"power": "_power", "maximum": "_maximum", "minimum": "_minimum",
}

// binaryEdge is a pair of operands hitting NaN, infinities, zero division
// and negative bases.
func binaryEdge() (*tensor.Tensor, *tensor.Tensor) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	a := kaT([]int{12}, 1, -1, 0, 0, nan, 2, nan, inf, -inf, 3, -8, 0.5)
	b := kaT([]int{12}, 0, 0, 0, 2, 1, nan, nan, 1, inf, -inf, 1.0/3, -2)
	return a, b
}

func TestElemwiseBinaryForward(t *testing.T) {
	ea, eb := binaryEdge()
	pos := kaMap(kaRand(2, 3, 7), math.Abs)
	posT := kaT([]int{3, 7}, toF32(pos)...)
	for fn, name := range elemwiseNames {
		t.Run(name, func(t *testing.T) {
			pairs := [][2]*tensor.Tensor{{ea, eb}, {kaRand(1, 3, 7), kaRand(2, 3, 7)}, {posT, kaRand(3, 3, 7)}}
			for _, p := range pairs {
				out := kaRun(t, name, nil, p[0], p[1])
				a, b := kaF64(p[0]), kaF64(p[1])
				want := make([]float64, len(a))
				for i := range a {
					want[i] = binaryRefs[fn](a[i], b[i])
				}
				kaCheck(t, name, out[0], p[0].Shape(), want, 2e-6, 0)
			}
		})
	}
}

func TestElemwiseBinaryShapeMismatch(t *testing.T) {
	if _, err := opstest.Run("elemwise_add", nil, []*tensor.Tensor{kaRand(1, 2, 3), kaRand(1, 3, 2)}, nil); err == nil {
		t.Fatal("elemwise_add of (2,3) and (3,2) accepted")
	}
}

// broadcastRef computes op over NumPy-broadcast operands in float64.
func broadcastRef(a, b *tensor.Tensor, f func(a, b float64) float64) ([]int, []float64) {
	nd := max(a.NDim(), b.NDim())
	shape := make([]int, nd)
	dimOf := func(t *tensor.Tensor, d int) int {
		if j := d - (nd - t.NDim()); j >= 0 {
			return t.Dim(j)
		}
		return 1
	}
	total := 1
	for d := range nd {
		shape[d] = dimOf(a, d)
		if shape[d] == 1 {
			shape[d] = dimOf(b, d)
		}
		total *= shape[d]
	}
	index := func(t *tensor.Tensor, idx []int) int {
		off := 0
		for d := range nd {
			if j := d - (nd - t.NDim()); j >= 0 {
				i := idx[d]
				if t.Dim(j) == 1 {
					i = 0
				}
				off = off*t.Dim(j) + i
			}
		}
		return off
	}
	out := make([]float64, total)
	idx := make([]int, nd)
	for k := range out {
		r := k
		for d := nd - 1; d >= 0; d-- {
			idx[d] = r % shape[d]
			r /= shape[d]
		}
		out[k] = f(a.Float64At(index(a, idx)), b.Float64At(index(b, idx)))
	}
	return shape, out
}

func TestBroadcastForward(t *testing.T) {
	shapes := [][2][]int{
		{{2, 3}, {2, 3}},
		{{2, 3}, {1, 3}},
		{{2, 3}, {2, 1}},
		{{2, 1}, {1, 3}},
		{{3}, {2, 3}},
		{{4, 1, 5}, {3, 1}},
		{{1}, {2, 3, 4}},
		{{2, 3, 4}, {1}},
		{{2, 1, 4, 1}, {1, 3, 1, 5}},
		{{1, 1}, {1, 1}},
		{{5, 33}, {5, 1}},
		{{2, 0, 3}, {1, 3}},
		{{3, 1, 5}, {3, 4, 5}},
		{{1, 4, 1}, {3, 4, 5}},
		{{3, 4, 1}, {1, 1, 5}},
		{{2, 3, 4, 5}, {1, 3, 1, 1}},
		{{2, 3, 4, 5}, {2, 1, 4, 5}},
		{{2, 3, 4, 5}, {2, 3, 1, 5}},
	}
	ea, eb := binaryEdge()
	for fn := range binaryRefs {
		name := "broadcast_" + fn
		t.Run(name, func(t *testing.T) {
			for i, s := range shapes {
				a, b := kaRand(uint64(i), s[0]...), kaRand(uint64(50+i), s[1]...)
				if fn == "power" {
					a = kaT(a.Shape(), toF32(kaMap(a, math.Abs))...)
				}
				out := kaRun(t, name, nil, a, b)
				shape, want := broadcastRef(a, b, binaryRefs[fn])
				kaCheck(t, fmt.Sprint(s), out[0], shape, want, 2e-6, 0)
			}
			// Edge values broadcast against a single NaN-free value and
			// elementwise.
			out := kaRun(t, name, nil, ea, eb)
			shape, want := broadcastRef(ea, eb, binaryRefs[fn])
			kaCheck(t, "edge", out[0], shape, want, 2e-6, 0)
			col, _ := ea.Reshape(12, 1)
			out = kaRun(t, name, nil, col, eb)
			shape, want = broadcastRef(col, eb, binaryRefs[fn])
			kaCheck(t, "edge outer", out[0], shape, want, 2e-6, 0)
		})
	}
}

func TestBroadcastHandChecked(t *testing.T) {
	out := kaRun(t, "broadcast_sub", nil, kaT([]int{2, 1}, 10, 20), kaT([]int{3}, 1, 2, 3))
	kaCheck(t, "broadcast_sub", out[0], []int{2, 3}, []float64{9, 8, 7, 19, 18, 17}, 0, 0)
	out = kaRun(t, "broadcast_plus", nil, kaT([]int{1, 2}, 1, 2), kaT([]int{2, 1}, 10, 20))
	kaCheck(t, "broadcast_plus", out[0], []int{2, 2}, []float64{11, 12, 21, 22}, 0, 0)
	if _, err := opstest.Run("broadcast_add", nil, []*tensor.Tensor{kaRand(1, 2, 3), kaRand(1, 3, 2)}, nil); err == nil {
		t.Fatal("broadcast_add of (2,3) and (3,2) accepted")
	}
}

var scalarRefs = map[string]func(x, s float64) float64{
	"_plus_scalar":    func(x, s float64) float64 { return x + s },
	"_minus_scalar":   func(x, s float64) float64 { return x - s },
	"_rminus_scalar":  func(x, s float64) float64 { return s - x },
	"_mul_scalar":     func(x, s float64) float64 { return x * s },
	"_div_scalar":     func(x, s float64) float64 { return x / s },
	"_rdiv_scalar":    func(x, s float64) float64 { return s / x },
	"_power_scalar":   math.Pow,
	"_rpower_scalar":  func(x, s float64) float64 { return math.Pow(s, x) },
	"_maximum_scalar": maxRef,
	"_minimum_scalar": minRef,
}

func TestScalarForward(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	edge := kaT([]int{2, 5}, 0, -0.5, 1, -3, nan, inf, -inf, 2.5, 7, -1e-3)
	for name, ref := range scalarRefs {
		t.Run(name, func(t *testing.T) {
			for _, s := range []string{"2", "-0.5", "0", "3.0", "1e-3", "0.1"} {
				sv := float64(float32(mustFloat(s))) // the kernel computes with the scalar in float32
				for _, x := range []*tensor.Tensor{edge, kaRand(4, 3, 11)} {
					out := kaRun(t, name, map[string]string{"scalar": s}, x)
					want := make([]float64, x.Len())
					for i, v := range kaF64(x) {
						want[i] = ref(v, sv)
					}
					kaCheck(t, name+" "+s, out[0], x.Shape(), want, 3e-6, 0)
				}
			}
		})
	}
	// Default scalar is 1; the legacy alias name works.
	out := kaRun(t, "_PlusScalar", nil, kaT([]int{2}, 1, 2))
	kaCheck(t, "_PlusScalar", out[0], []int{2}, []float64{2, 3}, 0, 0)
}

func mustFloat(s string) float64 {
	var v float64
	if _, err := fmt.Sscan(s, &v); err != nil {
		panic(err)
	}
	return v
}

var unaryRefs = map[string]func(float64) float64{
	"exp":      math.Exp,
	"log":      math.Log,
	"sqrt":     math.Sqrt,
	"square":   func(x float64) float64 { return x * x },
	"abs":      math.Abs,
	"negative": func(x float64) float64 { return -x },
}

func TestUnaryForward(t *testing.T) {
	for name, ref := range unaryRefs {
		t.Run(name, func(t *testing.T) {
			for _, x := range []*tensor.Tensor{kaT([]int{len(actEdge)}, actEdge...), kaRand(6, 4, 9)} {
				out := kaRun(t, name, nil, x)
				want := kaMap(x, ref)
				if name == "exp" { // float32 overflow
					for i, w := range want {
						if w > math.MaxFloat32 {
							want[i] = math.Inf(1)
						}
					}
				}
				kaCheck(t, name, out[0], x.Shape(), want, 4e-7, 1e-45)
			}
		})
	}
}

// kaTyped returns a tensor of dtype dt and shape whose element i is
// vals[i % len(vals)] converted like a C cast.
func kaTyped(dt tensor.DType, vals []float64, shape ...int) *tensor.Tensor {
	t, err := tensor.New(dt, shape...)
	if err != nil {
		panic(err)
	}
	for i := range t.Len() {
		t.SetFloat64At(i, vals[i%len(vals)])
	}
	return t
}

var allDTypes = []tensor.DType{tensor.Float32, tensor.Float64, tensor.Float16, tensor.BFloat16, tensor.Uint8,
	tensor.Int8, tensor.Int16, tensor.Uint16, tensor.Int32, tensor.Uint32, tensor.Int64, tensor.Uint64, tensor.Bool}

func TestCopyFamily(t *testing.T) {
	vals := []float64{1, 0, 3, 7, 2, 5, 4}
	for _, name := range []string{"_copy", "identity", "BlockGrad", "stop_gradient", "make_loss"} {
		for _, dt := range allDTypes {
			x := kaTyped(dt, vals, 3, 5)
			out := kaRun(t, name, nil, x)
			if !tensor.Equal(out[0], x) {
				t.Errorf("%s on %s: output differs from input", name, dt)
			}
		}
	}
}

func TestAddN(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5} {
		in := make([]*tensor.Tensor, n)
		want := make([]float64, 2*7)
		for i := range in {
			in[i] = kaRand(uint64(i), 2, 7)
			for j, v := range kaF64(in[i]) {
				want[j] += v
			}
		}
		out := kaRun(t, "add_n", map[string]string{"num_args": fmt.Sprint(n)}, in...)
		kaCheck(t, fmt.Sprint("add_n ", n), out[0], []int{2, 7}, want, 1e-6, 1e-6)
	}
	out := kaRun(t, "ElementWiseSum", map[string]string{"num_args": "2"}, kaT([]int{2}, 1, 2), kaT([]int{2}, 10, 20))
	kaCheck(t, "ElementWiseSum", out[0], []int{2}, []float64{11, 22}, 0, 0)
}

func TestCast(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	// Includes float16 overflow (65520 rounds to Inf, 65519 to 65504),
	// subnormal halves (2^-24 and the tie 2^-25 that rounds to 0) and
	// bfloat16 truncation of 1+2^-8 and 3+2^-8.
	src := []float64{0, 1.5, -1.5, 2.7, -2.7, 100.25, 65504, 65519, 65520, -1e5, 1e-8, 0x1p-24, 0x1p-25, 0.1,
		nan, inf, -inf, 3.00390625, 1.00390625, -0.0}
	x := kaT([]int{len(src)}, toF32(src)...)
	xs := kaF64(x)
	cases := []struct {
		dtype string
		ref   func(v float64) float64
	}{
		{"float32", func(v float64) float64 { return v }},
		{"float64", func(v float64) float64 { return v }},
		{"float16", func(v float64) float64 { return float64(tensor.F16ToF32(tensor.F32ToF16(float32(v)))) }},
		// bfloat16 keeps the high 16 bits (truncation), as mshadow's bf16_t.
		{"bfloat16", func(v float64) float64 {
			return float64(math.Float32frombits(math.Float32bits(float32(v)) &^ 0xffff))
		}},
		{"int32", math.Trunc},
		{"int64", math.Trunc},
		{"int8", math.Trunc},
		{"uint8", func(v float64) float64 { return float64(uint8(int64(v))) }},
		{"bool", func(v float64) float64 {
			if v != 0 {
				return 1
			}
			return 0
		}},
	}
	for _, c := range cases {
		t.Run(c.dtype, func(t *testing.T) {
			in, want := x, []float64{}
			for _, v := range xs {
				if c.dtype != "float64" && c.dtype != "float32" && c.dtype != "float16" && c.dtype != "bfloat16" && c.dtype != "bool" &&
					(math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 127) {
					continue // out-of-range float → integer casts are undefined in C
				}
				want = append(want, c.ref(v))
			}
			if len(want) != len(xs) {
				in = kaT([]int{len(want)}, toF32(filterF64(xs, func(v float64) bool {
					return !(math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 127)
				}))...)
			}
			out := kaRun(t, "Cast", map[string]string{"dtype": c.dtype}, in)
			dt, _ := tensor.ParseDType(c.dtype)
			if out[0].DType() != dt {
				t.Fatalf("output dtype %s", out[0].DType())
			}
			kaCheck(t, "Cast", out[0], in.Shape(), want, 0, 0)
		})
	}
	// Integer and half inputs back to float32.
	for _, dt := range allDTypes {
		v := []float64{0, 1, 5, 100, 3, 1}
		in := kaTyped(dt, v, 2, 3)
		out := kaRun(t, "cast", map[string]string{"dtype": "float32"}, in)
		kaCheck(t, "cast from "+dt.String(), out[0], []int{2, 3}, kaF64(in), 0, 0)
	}
}

func filterF64(v []float64, keep func(float64) bool) []float64 {
	var out []float64
	for _, x := range v {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

func TestElemwiseNoAllocs(t *testing.T) {
	a, b := kaRand(1, 3, 17), kaRand(2, 3, 17)
	for _, name := range elemwiseNames {
		kaNoAllocs(t, name, nil, a, b)
	}
	for fn := range binaryRefs {
		kaNoAllocs(t, "broadcast_"+fn, nil, kaRand(1, 2, 3, 5), kaRand(2, 3, 1))
	}
	for name := range scalarRefs {
		kaNoAllocs(t, name, map[string]string{"scalar": "0.5"}, a)
	}
	for name := range unaryRefs {
		kaNoAllocs(t, name, nil, a)
	}
	kaNoAllocs(t, "_copy", nil, a)
	kaNoAllocs(t, "add_n", map[string]string{"num_args": "3"}, a, b, a)
	kaNoAllocs(t, "Cast", map[string]string{"dtype": "float16"}, a)
	kaNoAllocs(t, "Cast", map[string]string{"dtype": "int32"}, a)
}
