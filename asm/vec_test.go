package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// vecLengths are the lengths every kernel is checked at: all tails up to
// 130 and a few large ones.
func vecLengths() []int {
	var n []int
	for i := 0; i <= 130; i++ {
		n = append(n, i)
	}
	return append(n, 1000, 4097)
}

// specials are values every kernel must handle like the reference.
var specials = []float32{0, float32(math.Copysign(0, -1)), 1, -1, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
	math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, 1e-40, -1e-40, 88.7, -103.9, 89, -89, 20, 20.0001, 9, -9}

func vecInput(rng *rand.Rand, n int, scale float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = (rng.Float32()*2 - 1) * scale
		if rng.IntN(16) == 0 {
			x[i] = specials[rng.IntN(len(specials))]
		}
	}
	return x
}

const guard = 8

// emulatedSweeps makes the long value sweeps sparser off amd64: CI runs the
// arm64 tests under qemu, and the NEON kernels have their own dense sweeps
// (vec_neon_test.go).
var emulatedSweeps = runtime.GOARCH != "amd64"

// unaligned returns a copy of x starting off elements into a fresh buffer,
// so that kernels see inputs that are not 32-byte aligned.
func unaligned(x []float32, off int) []float32 {
	buf := make([]float32, len(x)+off)
	copy(buf[off:], x)
	return buf[off:]
}

// guarded returns a slice of n elements at offset off inside a larger
// buffer whose other elements hold a sentinel, and a check for the sentinels.
func guarded(n, off int) ([]float32, func(t *testing.T, what string)) {
	buf := make([]float32, n+off+2*guard)
	for i := range buf {
		buf[i] = -12345.5
	}
	dst := buf[guard+off : guard+off+n]
	return dst, func(t *testing.T, what string) {
		t.Helper()
		for i := range buf {
			if (i < guard+off || i >= guard+off+n) && buf[i] != -12345.5 {
				t.Fatalf("%s: wrote outside dst at %d", what, i-guard-off)
			}
		}
	}
}

// ulpDiff is the distance in representable float32 values; NaN matches NaN.
func ulpDiff(a, b float32) float64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.Inf(1)
	}
	if a == b {
		return 0
	}
	ord := func(f float32) int64 {
		u := int64(math.Float32bits(f))
		if u&(1<<31) != 0 {
			return -(u &^ (1 << 31))
		}
		return u
	}
	return math.Abs(float64(ord(a) - ord(b)))
}

type unaryCase struct {
	name  string
	fn    func(dst, x []float32)
	ref   func(dst, x []float32)
	ulps  float64 // 0: exact
	scale float32
	abs   float64 // if > 0, an absolute tolerance instead of ulps
}

func unaryCases() []unaryCase {
	g := &genericVec
	return []unaryCase{
		{"relu", Relu, g.relu, 0, 10, 0},
		{"leaky", func(d, x []float32) { LeakyRelu(d, x, 0.25) }, func(d, x []float32) { g.leakyRelu(d, x, 0.25) }, 0, 10, 0},
		{"clip", func(d, x []float32) { Clip(d, x, -1.5, 2) }, func(d, x []float32) { g.clip(d, x, -1.5, 2) }, 0, 10, 0},
		{"scale", func(d, x []float32) { Scale(d, x, -3.25) }, func(d, x []float32) { g.scale(d, x, -3.25) }, 0, 10, 0},
		{"addscalar", func(d, x []float32) { AddScalar(d, x, 0.75) }, func(d, x []float32) { g.addScalar(d, x, 0.75) }, 0, 10, 0},
		{"affine", func(d, x []float32) { Affine(d, x, 1.5, -0.5) }, func(d, x []float32) { g.affine(d, x, 1.5, -0.5) }, 1, 10, 0},
		{"exp", Exp, g.exp, 4, 100, 0},
		{"log", Log, g.log, 4, 1e6, 0},
		{"sigmoid", Sigmoid, g.sigmoid, 4, 40, 0},
		{"tanh", Tanh, g.tanh, 4, 12, 0},
		{"softrelu", SoftRelu, g.softRelu, 4, 40, 0},
		{"erf", Erf, g.erf, 4, 5, 0},
		{"gelu", Gelu, g.gelu, 4, 8, 0},
		{"softmax", func(d, x []float32) { Softmax(d, x, 1) }, func(d, x []float32) { g.softmax(d, x, 1) }, 0, 20, 1e-6},
		{"softmax_t", func(d, x []float32) { Softmax(d, x, 0.5) }, func(d, x []float32) { g.softmax(d, x, 0.5) }, 0, 20, 1e-6},
		{"logsoftmax", func(d, x []float32) { LogSoftmax(d, x, 2) }, func(d, x []float32) { g.logSoftmax(d, x, 2) }, 0, 20, 1e-5},
	}
}

// TestVecUnaryMatchesGeneric runs every unary kernel of every implementation
// against the generic one at all lengths, offsets and special values, with
// guard bands, out of place and in place.
func TestVecUnaryMatchesGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ForEachImpl(func(impl string) {
		for _, c := range unaryCases() {
			for _, n := range vecLengths() {
				off := n % 8
				x := unaligned(vecInput(rng, n, c.scale), 1+n%7)
				if c.name == "softmax" || c.name == "softmax_t" || c.name == "logsoftmax" {
					for i := range x { // rows with NaN/Inf have no useful softmax
						if math.IsNaN(float64(x[i])) || math.IsInf(float64(x[i]), 0) || math.Abs(float64(x[i])) > 1e30 {
							x[i] = 1
						}
					}
				}
				want := make([]float32, n)
				c.ref(want, x)
				dst, check := guarded(n, off)
				c.fn(dst, x)
				what := fmt.Sprintf("%s/%s/n=%d", impl, c.name, n)
				check(t, what)
				in := append([]float32(nil), x...)
				c.fn(in, in)
				if c.abs > 0 {
					compareAbs(t, what, dst, want, c.abs)
					compareAbs(t, what+"/inplace", in, want, c.abs)
					continue
				}
				compareVec(t, what, dst, want, x, c.ulps)
				compareVec(t, what+"/inplace", in, want, x, c.ulps)
			}
		}
	})
}

func compareVec(t *testing.T, what string, got, want, x []float32, ulps float64) {
	t.Helper()
	for i := range want {
		if d := ulpDiff(got[i], want[i]); d > ulps {
			t.Fatalf("%s: [%d] f(%g) = %g, want %g (%g ulp > %g)", what, i, x[i], got[i], want[i], d, ulps)
		}
	}
}

func compareAbs(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); !(d <= tol*math.Max(1, math.Abs(float64(want[i])))) {
			t.Fatalf("%s: [%d] = %g, want %g (|diff| %g > %g)", what, i, got[i], want[i], d, tol)
		}
	}
}

func TestVecBinaryMatchesGeneric(t *testing.T) {
	g := &genericVec
	cases := []struct {
		name     string
		fn, ref  func(dst, x, y []float32)
		inPlaceY bool
	}{
		{"add", Add, g.add, true}, {"sub", Sub, g.sub, true}, {"mul", Mul, g.mul, true}, {"div", Div, g.div, true},
		{"axpy", func(d, x, _ []float32) { Axpy(d, x, 0.5) }, func(d, x, _ []float32) { g.axpy(d, x, 0.5) }, false},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	ForEachImpl(func(impl string) {
		for _, c := range cases {
			for _, n := range vecLengths() {
				x, y := unaligned(vecInput(rng, n, 10), 1+n%7), unaligned(vecInput(rng, n, 10), 1+(n+3)%7)
				base := vecInput(rng, n, 10)
				want := append([]float32(nil), base...)
				c.ref(want, x, y)
				dst, check := guarded(n, (n+3)%8)
				copy(dst, base)
				c.fn(dst, x, y)
				what := fmt.Sprintf("%s/%s/n=%d", impl, c.name, n)
				check(t, what)
				ulps := 0.0
				if c.name == "axpy" {
					ulps = 1 // fused multiply-add may round once instead of twice
				}
				compareVec(t, what, dst, want, x, ulps)
				if c.inPlaceY {
					yy := append([]float32(nil), y...)
					c.fn(yy, x, yy)
					compareVec(t, what+"/inplace-y", yy, want, x, 0)
					xx := append([]float32(nil), x...)
					c.fn(xx, xx, y)
					compareVec(t, what+"/inplace-x", xx, want, x, 0)
				}
			}
		}
	})
}

func TestVecReductionsMatchGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ForEachImpl(func(impl string) {
		for _, n := range vecLengths() {
			x := make([]float32, n)
			y := make([]float32, n)
			for i := range x {
				x[i], y[i] = rng.Float32()*2-1, rng.Float32()*2-1
			}
			var abs, absDot float64
			for i := range x {
				abs += math.Abs(float64(x[i]))
				absDot += math.Abs(float64(x[i]) * float64(y[i]))
			}
			tol := func(a float64) float64 { return 1e-6*a + 1e-7*float64(n) }
			if got, want := Sum(x), genericVec.sum(x); math.Abs(float64(got-want)) > tol(abs) {
				t.Fatalf("%s: Sum n=%d = %g, want %g", impl, n, got, want)
			}
			if got, want := Dot(x, y), genericVec.dot(x, y); math.Abs(float64(got-want)) > tol(absDot) {
				t.Fatalf("%s: Dot n=%d = %g, want %g", impl, n, got, want)
			}
			if got, want := Max(x), genericVec.max(x); got != want {
				t.Fatalf("%s: Max n=%d = %g, want %g", impl, n, got, want)
			}
			if n > 0 {
				x[rng.IntN(n)] = float32(math.NaN())
				if got := Max(x); got == got {
					t.Fatalf("%s: Max with a NaN = %g, want NaN", impl, got)
				}
			}
		}
		if got := Max(nil); !math.IsInf(float64(got), -1) {
			t.Fatalf("%s: Max(nil) = %g, want -Inf", impl, got)
		}
	})
}

func TestVecSemantics(t *testing.T) {
	nan := float32(math.NaN())
	ForEachImpl(func(impl string) {
		d := make([]float32, 4)
		Relu(d, []float32{-1, nan, 2, float32(math.Copysign(0, -1))})
		if d[0] != 0 || d[1] == d[1] || d[2] != 2 || d[3] != 0 {
			t.Errorf("%s: Relu = %v", impl, d)
		}
		Softmax(d, []float32{1, 2, 3, 1000}, 1)
		if d[3] != 1 || d[0] != 0 {
			t.Errorf("%s: Softmax of a dominant entry = %v", impl, d)
		}
		SoftRelu(d, []float32{21, 0, -100, 20})
		if d[0] != 21 || math.Abs(float64(d[1])-math.Ln2) > 1e-7 || d[2] != float32(math.Log1p(math.Exp(-100))) {
			t.Errorf("%s: SoftRelu = %v", impl, d)
		}
		c := []float32{1, 2, 3, 9, 4, 5, 6, 9}
		AddBias(c, 2, 3, 4, []float32{10, 20, 30})
		if fmt.Sprint(c) != "[11 22 33 9 14 25 36 9]" {
			t.Errorf("%s: AddBias = %v", impl, c)
		}
	})
}

// TestVecTranscendentalULP sweeps the whole float32 range (every 997th bit
// pattern) and checks each implementation within 4 ulp of float64 math.
func TestVecTranscendentalULP(t *testing.T) {
	step := uint32(997)
	if testing.Short() {
		step = 99991
	} else if emulatedSweeps {
		step = 4999
	}
	var x []float32
	for u := uint64(0); u < 1<<32; u += uint64(step) {
		x = append(x, math.Float32frombits(uint32(u)))
	}
	refs := map[string]func(float64) float64{
		"exp": math.Exp, "log": math.Log, "tanh": math.Tanh, "erf": math.Erf,
		"sigmoid": func(v float64) float64 { return 1 / (1 + math.Exp(-v)) },
		"softrelu": func(v float64) float64 {
			if v > 20 {
				return v
			}
			return math.Log1p(math.Exp(v))
		},
		// 1+erf(v/√2) written as erfc(-v/√2): the reference must not
		// cancel where gelu is tiny (v < 0).
		"gelu": func(v float64) float64 { return 0.5 * v * math.Erfc(-v/math.Sqrt2) },
	}
	fns := map[string]func(dst, x []float32){"exp": Exp, "log": Log, "tanh": Tanh, "erf": Erf, "sigmoid": Sigmoid, "softrelu": SoftRelu, "gelu": Gelu}
	dst := make([]float32, len(x))
	ForEachImpl(func(impl string) {
		for name, fn := range fns {
			fn(dst, x)
			worst, at := 0.0, 0
			for i, v := range x {
				want := float32(refs[name](float64(v)))
				if d := ulpDiff(dst[i], want); d > worst {
					worst, at = d, i
				}
			}
			if worst > 4 {
				t.Errorf("%s/%s: %g ulp at x=%g (got %g)", impl, name, worst, x[at], dst[at])
			}
			t.Logf("%s/%s: max %g ulp", impl, name, worst)
		}
	})
}

func TestHalfConversionMatchesScalar(t *testing.T) {
	src := make([]uint16, 1<<16)
	for i := range src {
		src[i] = uint16(i)
	}
	ForEachImpl(func(impl string) {
		f := make([]float32, len(src))
		F16ToF32(f, src)
		for i, h := range src {
			if w := HalfToFloat(h); math.Float32bits(f[i]) != math.Float32bits(w) && !(f[i] != f[i] && w != w) {
				t.Fatalf("%s: F16ToF32(%#04x) = %g, want %g", impl, h, f[i], w)
			}
		}
		rng := rand.New(rand.NewPCG(7, 8))
		xs := make([]float32, 4099)
		for i := range xs {
			xs[i] = math.Float32frombits(rng.Uint32())
		}
		hs := make([]uint16, len(xs))
		F32ToF16(hs, xs)
		for i, v := range xs {
			if w := FloatToHalf(v); hs[i] != w && !(v != v && hs[i]&0x7c00 == 0x7c00 && hs[i]&0x3ff != 0) {
				t.Fatalf("%s: F32ToF16(%g) = %#04x, want %#04x", impl, v, hs[i], w)
			}
		}
	})
}

// TestMaxFirstMatchesGeneric checks MaxFirst of every implementation
// against the generic loop bit for bit (the sign of a zero, which NaN) at
// all lengths and offsets, out of place and in place (dst = y, the running
// maximum), and its semantics on the cases that tell implementations
// apart: a NaN x is skipped, a NaN y kept, a tie between zeros keeps y.
func TestMaxFirstMatchesGeneric(t *testing.T) {
	nan := float32(math.NaN())
	negz := float32(math.Copysign(0, -1))
	rng := rand.New(rand.NewPCG(9, 10))
	ForEachImpl(func(impl string) {
		for _, n := range vecLengths() {
			x, y := unaligned(vecInput(rng, n, 10), 1+n%7), unaligned(vecInput(rng, n, 10), 1+(n+3)%7)
			for i := range x {
				if rng.IntN(4) == 0 { // equal values and zeros of both signs
					x[i] = y[i]
					if rng.IntN(2) == 0 {
						x[i], y[i] = 0, negz
					}
				}
			}
			want := make([]float32, n)
			genericVec.maxFirst(want, x, y)
			dst, check := guarded(n, (n+3)%8)
			MaxFirst(dst, x, y)
			what := fmt.Sprintf("%s/n=%d", impl, n)
			check(t, what)
			yy := append([]float32(nil), y...)
			MaxFirst(yy, x, yy)
			for i := range want {
				if math.Float32bits(dst[i]) != math.Float32bits(want[i]) || math.Float32bits(yy[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s: [%d] MaxFirst(%v, %v) = %v (%#x), in place %v, want %v (%#x)", what, i, x[i], y[i],
						dst[i], math.Float32bits(dst[i]), yy[i], want[i], math.Float32bits(want[i]))
				}
			}
		}
		x := []float32{nan, 1, 0, negz, 2, nan, float32(math.Inf(-1)), 3}
		y := []float32{1, nan, negz, 0, 1, nan, -math.MaxFloat32, 3}
		want := []float32{1, nan, negz, 0, 2, nan, -math.MaxFloat32, 3}
		for n := 1; n <= len(x); n++ {
			got := make([]float32, n)
			MaxFirst(got, x[:n], y[:n])
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s: MaxFirst(%v, %v) = %v, want %v", impl, x[i], y[i], got[i], want[i])
				}
			}
		}
	})
}
