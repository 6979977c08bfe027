package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// transRefs are the float64 references of the transcendental kernels.
var transRefs = []struct {
	name string
	fn   func(dst, x []float32)
	ref  func(float64) float64
}{
	{"exp", Exp, math.Exp},
	{"log", Log, math.Log},
	{"tanh", Tanh, math.Tanh},
	{"erf", Erf, math.Erf},
	{"sigmoid", Sigmoid, func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }},
	{"softrelu", SoftRelu, func(v float64) float64 {
		if v > 20 {
			return v
		}
		return math.Log1p(math.Exp(v))
	}},
	{"gelu", Gelu, func(v float64) float64 { return 0.5 * v * math.Erfc(-v/math.Sqrt2) }},
}

// TestVecTranscendentalDenseULP checks the SIMD kernels densely (every 151st
// bit pattern) over [-16, 16], where their polynomial pieces and interval
// switches lie, and log also over (0, 4] and near 1; the generic kernels
// are float64 math rounded once and are covered by the whole-range sweep.
func TestVecTranscendentalDenseULP(t *testing.T) {
	step := uint32(151)
	if testing.Short() {
		step = 9973
	} else if emulatedSweeps {
		step = 1511
	}
	var x []float32
	for u := uint32(0); u <= math.Float32bits(16); u += step {
		x = append(x, math.Float32frombits(u), -math.Float32frombits(u))
	}
	for u := math.Float32bits(0.99); u <= math.Float32bits(1.01); u++ {
		x = append(x, math.Float32frombits(u))
	}
	dst := make([]float32, len(x))
	ForEachImpl(func(impl string) {
		if impl == Generic {
			return
		}
		for _, c := range transRefs {
			c.fn(dst, x)
			worst, at := 0.0, 0
			for i, v := range x {
				if d := ulpDiff(dst[i], float32(c.ref(float64(v)))); d > worst {
					worst, at = d, i
				}
			}
			if worst > 4 {
				t.Errorf("%s/%s: %g ulp at x=%g (got %g, want %g)", impl, c.name, worst, x[at], dst[at], float32(c.ref(float64(x[at]))))
			}
			t.Logf("%s/%s: max %g ulp over %d dense points", impl, c.name, worst, len(x))
		}
	})
}

// TestVecTranscendentalSpecials checks NaN, ±Inf, ±0 and subnormal inputs
// exactly (including the sign of zero) against float64 math.
func TestVecTranscendentalSpecials(t *testing.T) {
	inf := math.Inf(1)
	in := []float32{float32(math.NaN()), float32(inf), float32(-inf), 0, float32(math.Copysign(0, -1)),
		math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32, 1e-40, -1e-40, 1.1754942e-38,
		math.MaxFloat32, -math.MaxFloat32, 88.72284, 88.72285, -87.33655, -103.97208, -103.97209, -200, 200}
	ForEachImpl(func(impl string) {
		for _, c := range transRefs {
			for _, n := range []int{len(in), 8, 3} { // vector body and masked tail
				got := make([]float32, n)
				c.fn(got, in[:n])
				for i, v := range in[:n] {
					want := float32(c.ref(float64(v)))
					bad := ulpDiff(got[i], want) > 4
					if want == 0 && got[i] == 0 && math.Signbit(float64(want)) != math.Signbit(float64(got[i])) {
						bad = true
					}
					if bad {
						t.Errorf("%s/%s(%g) = %g, want %g", impl, c.name, v, got[i], want)
					}
				}
			}
		}
	})
}

// TestSoftmaxRows compares the softmax kernels with the generic ones on
// rows holding NaN, ±Inf, huge and equal values, at several temperatures,
// out of place and in place.
func TestSoftmaxRows(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	rows := [][]float32{
		{1}, {-inf}, {nan}, {inf}, {0, 0, 0}, {1, nan, 2}, {1, inf, 2}, {1, -inf, 2},
		{-inf, -inf}, {3e38, -3e38, 1}, {-100, -200, -300, -88, -87},
		{1, 2, 3, 4, 5, 6, 7, 8, 9}, {1e-40, -1e-40, 0, 5},
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{7, 8, 15, 16, 17, 100, 1025} {
		rows = append(rows, vecInput(rng, n, 30))
	}
	ForEachImpl(func(impl string) {
		for ri, row := range rows {
			for _, temp := range []float32{1, 0.5, 3, 0.1} {
				for _, c := range []struct {
					name     string
					fn, ref  func(dst, x []float32, t float32)
					tol, abs float64
				}{
					{"softmax", Softmax, genericVec.softmax, 0, 2e-6},
					{"logsoftmax", LogSoftmax, genericVec.logSoftmax, 2e-6, 0},
				} {
					x := unaligned(row, 1+ri%7)
					want := make([]float32, len(x))
					c.ref(want, x, temp)
					dst, check := guarded(len(x), ri%8)
					c.fn(dst, x, temp)
					what := fmt.Sprintf("%s/%s/row%d/t=%g", impl, c.name, ri, temp)
					check(t, what)
					in := append([]float32(nil), x...)
					c.fn(in, in, temp)
					for _, got := range [][]float32{dst, in} {
						for i := range want {
							g, w := float64(got[i]), float64(want[i])
							ok := (g != g && w != w) || g == w ||
								math.Abs(g-w) <= c.abs+c.tol*math.Max(1, math.Abs(w))
							if !ok {
								t.Fatalf("%s: [%d] (x=%g) = %g, want %g", what, i, x[i], g, w)
							}
						}
					}
				}
			}
		}
	})
}

// TestHalfKernels checks the float16 conversions at every length up to 130
// with unaligned starts and guard bands, and F32ToF16 over the whole
// float32 range (every 61st bit pattern; sparser in short or emulated runs)
// and at every rounding tie.
func TestHalfKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	ForEachImpl(func(impl string) {
		for _, n := range vecLengths() {
			h := make([]uint16, n+1)[1:]
			for i := range h {
				h[i] = uint16(rng.Uint32())
			}
			f, check := guarded(n, n%8)
			F16ToF32(f, h)
			check(t, fmt.Sprintf("%s/F16ToF32/n=%d", impl, n))
			for i := range h {
				if w := HalfToFloat(h[i]); math.Float32bits(f[i]) != math.Float32bits(w) {
					t.Fatalf("%s: F16ToF32(%#04x) = %#08x, want %#08x", impl, h[i], math.Float32bits(f[i]), math.Float32bits(w))
				}
			}
			x := unaligned(vecInput(rng, n, 70000), 1+n%7)
			buf := make([]uint16, n+16)
			for i := range buf {
				buf[i] = 0xdead
			}
			off := 8 + n%8
			F32ToF16(buf[off:off+n], x)
			for i, v := range buf {
				if (i < off || i >= off+n) && v != 0xdead {
					t.Fatalf("%s: F32ToF16 n=%d wrote outside dst at %d", impl, n, i-off)
				}
			}
			for i, v := range x {
				if w := FloatToHalf(v); buf[off+i] != w {
					t.Fatalf("%s: F32ToF16(%g) = %#04x, want %#04x", impl, v, buf[off+i], w)
				}
			}
		}
		var xs []float32
		step := uint64(61)
		if testing.Short() {
			step = 9973
		} else if emulatedSweeps {
			step = 613
		}
		for u := uint64(0); u < 1<<32; u += step {
			xs = append(xs, math.Float32frombits(uint32(u)))
		}
		for e := uint32(90); e < 150; e++ { // ties and near-ties at every exponent
			for _, low := range []uint32{0x1000, 0x0fff, 0x1001, 0x3000, 0x2000} {
				for _, hi := range []uint32{0, 1 << 13, 0x3ff << 13, 0x155 << 13} {
					b := e<<23 | hi | low
					xs = append(xs, math.Float32frombits(b), math.Float32frombits(b|1<<31))
				}
			}
		}
		hs := make([]uint16, len(xs))
		F32ToF16(hs, xs)
		for i, v := range xs {
			if w := FloatToHalf(v); hs[i] != w {
				t.Fatalf("%s: F32ToF16(%g = %#08x) = %#04x, want %#04x", impl, v, math.Float32bits(v), hs[i], w)
			}
		}
	})
}

// TestVecShortInputsPanic checks that every kernel of every implementation
// panics, like indexing, instead of reading past an input shorter than dst.
func TestVecShortInputsPanic(t *testing.T) {
	d, s, h := make([]float32, 9), make([]float32, 8), make([]uint16, 8)
	calls := map[string]func(){
		"relu": func() { Relu(d, s) }, "leakyrelu": func() { LeakyRelu(d, s, 1) }, "clip": func() { Clip(d, s, 0, 1) },
		"exp": func() { Exp(d, s) }, "log": func() { Log(d, s) }, "sigmoid": func() { Sigmoid(d, s) },
		"tanh": func() { Tanh(d, s) }, "softrelu": func() { SoftRelu(d, s) }, "erf": func() { Erf(d, s) },
		"gelu": func() { Gelu(d, s) }, "softmax": func() { Softmax(d, s, 1) }, "logsoftmax": func() { LogSoftmax(d, s, 1) },
		"dot": func() { Dot(d, s) }, "scale": func() { Scale(d, s, 1) }, "axpy": func() { Axpy(d, s, 1) },
		"addscalar": func() { AddScalar(d, s, 1) }, "affine": func() { Affine(d, s, 1, 1) },
		"add": func() { Add(d, d, s) }, "sub": func() { Sub(d, s, d) }, "mul": func() { Mul(d, s, s) },
		"div": func() { Div(d, d, s) }, "addbias": func() { AddBias(d, 2, 5, 5, s) },
		"addbias-bias": func() { AddBias(d, 1, 9, 9, s) }, "addbias-ldc": func() { AddBias(d, 2, 4, 3, s) },
		"f16tof32": func() { F16ToF32(d, h) }, "f32tof16": func() { F32ToF16(make([]uint16, 9), s) },
	}
	ForEachImpl(func(impl string) {
		for name, call := range calls {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s/%s: no panic for a short input", impl, name)
					}
				}()
				call()
			}()
		}
	})
}
