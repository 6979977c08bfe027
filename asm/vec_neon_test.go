//go:build arm64 && !purego

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// Tests of the NEON vector kernels against plain Go loops (exact float32
// arithmetic where the kernel is exact, float64 math with an ulp bound
// where it is not).

const neonGuard = 9

var neonSentinel = math.Float32frombits(0x7fc0dead) // a NaN no kernel produces

// neonLengths are the lengths every kernel is run at.
var neonLengths = func() []int {
	var ls []int
	for n := 0; n <= 67; n++ {
		ls = append(ls, n)
	}
	return append(ls, 130, 1000, 4097)
}()

// neonOrdered maps float32 bit patterns to integers in the order of the
// values, with +0 and -0 both at 0, so that the difference counts ulps.
func neonOrdered(f float32) int64 {
	b := math.Float32bits(f)
	if b&0x80000000 != 0 {
		return -int64(b &^ 0x80000000)
	}
	return int64(b)
}

// neonULPDiff is how many float32 ulps got lies from want rounded to float32;
// 0 when both are NaN, MaxInt64 when only one is.
func neonULPDiff(got float32, want float64) int64 {
	w := float32(want)
	gn, wn := got != got, w != w
	switch {
	case gn && wn:
		return 0
	case gn || wn:
		return math.MaxInt64
	}
	d := neonOrdered(got) - neonOrdered(w)
	if d < 0 {
		d = -d
	}
	return d
}

// neonSpecials are mixed into test inputs.
var neonSpecials = []float32{
	float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
	0, float32(math.Copysign(0, -1)), 1e-40, -1e-40, math.MaxFloat32, -math.MaxFloat32,
	1, -1, 0.5, -0.5,
}

// neonInput returns n values of scale about mag with specials sprinkled in.
func neonInput(rng *rand.Rand, n int, mag float32, specials bool) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = (rng.Float32()*2 - 1) * mag
		if specials && rng.IntN(7) == 0 {
			x[i] = neonSpecials[rng.IntN(len(neonSpecials))]
		}
	}
	return x
}

// neonGuarded returns a slice of n elements at offset off inside a buffer
// filled with the sentinel, and a check that the bands are intact.
func neonGuarded(n, off int) ([]float32, func(t *testing.T)) {
	buf := make([]float32, off+n+neonGuard)
	for i := range buf {
		buf[i] = neonSentinel
	}
	check := func(t *testing.T) {
		t.Helper()
		for i, v := range buf {
			if (i < off || i >= off+n) && math.Float32bits(v) != math.Float32bits(neonSentinel) {
				t.Fatalf("guard element %d (n=%d off=%d) overwritten: %v", i-off, n, off, v)
			}
		}
	}
	return buf[off : off+n], check
}

type neonUnary struct {
	name    string
	kernel  func(dst, x []float32)
	ref     func(x float32) float64
	mag     float32
	maxULPs int64
}

func neonUnaryCases() []neonUnary {
	const slope, lo, hi, a, b = 0.125, -0.75, 2.5, -1.5, 0.25
	return []neonUnary{
		{"relu", reluNEON, func(x float32) float64 {
			if x > 0 || x != x {
				return float64(x)
			}
			return 0
		}, 10, 0},
		{"leakyrelu", func(d, x []float32) { leakyReluNEON(d, x, slope) }, func(x float32) float64 {
			if x > 0 {
				return float64(x)
			}
			return float64(slope * x)
		}, 10, 0},
		{"clip", func(d, x []float32) { clipNEON(d, x, lo, hi) }, func(x float32) float64 {
			return float64(min(max(x, lo), hi)) // Go's min/max propagate NaN
		}, 10, 0},
		{"scale", func(d, x []float32) { scaleNEON(d, x, a) }, func(x float32) float64 {
			return float64(a * x)
		}, 10, 0},
		{"addscalar", func(d, x []float32) { addScalarNEON(d, x, b) }, func(x float32) float64 {
			return float64(x + b)
		}, 10, 0},
		{"affine", func(d, x []float32) { affineNEON(d, x, a, b) }, func(x float32) float64 {
			return a*float64(x) + b
		}, 10, 1},
		{"exp", expNEON, func(x float32) float64 { return math.Exp(float64(x)) }, 100, 4},
		{"sigmoid", sigmoidNEON, func(x float32) float64 {
			return 1 / (1 + math.Exp(-float64(x)))
		}, 100, 4},
		{"tanh", tanhNEON, func(x float32) float64 { return math.Tanh(float64(x)) }, 10, 4},
		{"log", logNEON, func(x float32) float64 { return math.Log(float64(x)) }, 1000, 4},
		{"softrelu", softReluNEON, func(x float32) float64 {
			if x > 20 {
				return float64(x)
			}
			return math.Log1p(math.Exp(float64(x)))
		}, 40, 4},
		{"erf", erfNEON, func(x float32) float64 { return math.Erf(float64(x)) }, 5, 4},
		// Erfc keeps the reference accurate where 1+erf cancels.
		{"gelu", geluNEON, func(x float32) float64 {
			return 0.5 * float64(x) * math.Erfc(-float64(x)/math.Sqrt2)
		}, 20, 4},
	}
}

// TestVecNEONUnary runs the one-input kernels over all lengths, unaligned
// starts, out of place with guard bands and in place.
func TestVecNEONUnary(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, c := range neonUnaryCases() {
		t.Run(c.name, func(t *testing.T) {
			for _, n := range neonLengths {
				for off := 0; off < 4; off++ {
					x := neonInput(rng, n+off, c.mag, true)[off:]
					orig := append([]float32(nil), x...)
					dst, check := neonGuarded(n, off)
					c.kernel(dst, x)
					check(t)
					for i := range dst {
						if d := neonULPDiff(dst[i], c.ref(orig[i])); d > c.maxULPs {
							t.Fatalf("n=%d off=%d: %s(%v) = %v, want %v (%d ulp)", n, off, c.name, orig[i], dst[i], c.ref(orig[i]), d)
						}
						if x[i] != orig[i] && !(x[i] != x[i] && orig[i] != orig[i]) {
							t.Fatalf("n=%d off=%d: input %d modified", n, off, i)
						}
					}
					// In place: the results must be the same.
					c.kernel(x, x)
					for i := range x {
						if neonULPDiff(x[i], float64(dst[i])) != 0 {
							t.Fatalf("n=%d off=%d: in-place result %d = %v, out of place %v", n, off, i, x[i], dst[i])
						}
					}
				}
			}
		})
	}
}

type neonBinary struct {
	name   string
	kernel func(dst, x, y []float32)
	ref    func(x, y float32) float32
}

// TestVecNEONBinary checks Add, Sub, Mul, Div exactly against Go float32
// arithmetic, out of place, in place on x and in place on y.
func TestVecNEONBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cases := []neonBinary{
		{"add", addNEON, func(x, y float32) float32 { return x + y }},
		{"sub", subNEON, func(x, y float32) float32 { return x - y }},
		{"mul", mulNEON, func(x, y float32) float32 { return x * y }},
		{"div", divNEON, func(x, y float32) float32 { return x / y }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, n := range neonLengths {
				for off := 0; off < 4; off++ {
					x := neonInput(rng, n+off, 100, true)[off:]
					y := neonInput(rng, n+3, 100, true)[3:]
					want := make([]float32, n)
					for i := range want {
						want[i] = c.ref(x[i], y[i])
					}
					dst, check := neonGuarded(n, off)
					c.kernel(dst, x, y)
					check(t)
					for i := range dst {
						if neonULPDiff(dst[i], float64(want[i])) != 0 {
							t.Fatalf("n=%d off=%d: %s(%v, %v) = %v, want %v", n, off, c.name, x[i], y[i], dst[i], want[i])
						}
					}
					x2 := append([]float32(nil), x...)
					c.kernel(x2, x2, y)
					y2 := append([]float32(nil), y[:n]...)
					c.kernel(y2, x, y2)
					for i := range want {
						if neonULPDiff(x2[i], float64(want[i])) != 0 || neonULPDiff(y2[i], float64(want[i])) != 0 {
							t.Fatalf("n=%d off=%d: in-place %s element %d = %v / %v, want %v", n, off, c.name, i, x2[i], y2[i], want[i])
						}
					}
				}
			}
		})
	}
}

// TestVecNEONAxpy checks dst += a*x (fused: within 1 ulp of the exact
// result) including the in-place case dst == x.
func TestVecNEONAxpy(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const a = float32(-0.375)
	for _, n := range neonLengths {
		for off := 0; off < 4; off++ {
			x := neonInput(rng, n+off, 10, true)[off:]
			dst, check := neonGuarded(n, off)
			copy(dst, neonInput(rng, n, 10, true))
			orig := append([]float32(nil), dst...)
			axpyNEON(dst, x, a)
			check(t)
			for i := range dst {
				want := float64(orig[i]) + float64(a)*float64(x[i])
				if d := neonULPDiff(dst[i], want); d > 1 {
					t.Fatalf("n=%d off=%d: %v + %v*%v = %v, want %v", n, off, orig[i], a, x[i], dst[i], want)
				}
			}
			xs := append([]float32(nil), x...)
			axpyNEON(xs, xs, a)
			for i := range xs {
				want := float64(x[i]) + float64(a)*float64(x[i])
				if d := neonULPDiff(xs[i], want); d > 1 {
					t.Fatalf("n=%d off=%d: in place %v -> %v, want %v", n, off, x[i], xs[i], want)
				}
			}
		}
	}
}

// TestVecNEONAddBias checks c[r*ldc+j] += bias[j] exactly, and that the
// gaps between rows (ldc > cols) and the guard bands are untouched.
func TestVecNEONAddBias(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, rows := range []int{0, 1, 2, 5} {
		for _, cols := range []int{0, 1, 3, 4, 7, 16, 19, 130} {
			for _, extra := range []int{0, 1, 5} {
				ldc := cols + extra
				size := 0
				if rows > 0 {
					size = (rows-1)*ldc + cols
				}
				c, check := neonGuarded(size, 1)
				for i := range c {
					c[i] = neonSentinel
				}
				for r := 0; r < rows; r++ {
					copy(c[r*ldc:r*ldc+cols], neonInput(rng, cols, 50, true))
				}
				orig := append([]float32(nil), c...)
				bias := neonInput(rng, cols+2, 50, true)
				addBiasNEON(c, rows, cols, ldc, bias)
				check(t)
				for i := range c {
					r, j := i/max(ldc, 1), i%max(ldc, 1)
					want := orig[i]
					if j < cols {
						want = orig[i] + bias[j]
					}
					if math.Float32bits(c[i]) != math.Float32bits(want) && neonULPDiff(c[i], float64(want)) != 0 {
						t.Fatalf("rows=%d cols=%d ldc=%d: c[%d][%d] = %v, want %v", rows, cols, ldc, r, j, c[i], want)
					}
				}
			}
		}
	}
}

// TestVecNEONReductions checks Sum and Dot within a rounding bound of the
// float64 result and Max exactly, over all lengths and starts.
func TestVecNEONReductions(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, n := range neonLengths {
		for off := 0; off < 4; off++ {
			x := neonInput(rng, n+off, 10, false)[off:]
			y := neonInput(rng, n+1, 10, false)[1:]
			var sum, dot, abs, absDot float64
			m := float32(math.Inf(-1))
			for i := range x {
				sum += float64(x[i])
				abs += math.Abs(float64(x[i]))
				dot += float64(x[i]) * float64(y[i])
				absDot += math.Abs(float64(x[i]) * float64(y[i]))
				m = max(m, x[i])
			}
			tol := func(a float64) float64 { return 2 * float64(n+1) * 0x1p-24 * a }
			if got := sumNEON(x); math.Abs(float64(got)-sum) > tol(abs) {
				t.Fatalf("n=%d off=%d: Sum = %v, want %v", n, off, got, sum)
			}
			if got := dotNEON(x, y); math.Abs(float64(got)-dot) > tol(absDot) {
				t.Fatalf("n=%d off=%d: Dot = %v, want %v", n, off, got, dot)
			}
			if got := maxNEON(x); got != m {
				t.Fatalf("n=%d off=%d: Max = %v, want %v", n, off, got, m)
			}
			if n == 0 {
				continue
			}
			// A NaN anywhere makes Sum, Dot and Max NaN; +Inf wins Max.
			for _, pos := range []int{0, n / 2, n - 1} {
				xs := append([]float32(nil), x...)
				xs[pos] = float32(math.NaN())
				if s, d, mx := sumNEON(xs), dotNEON(xs, y), maxNEON(xs); s == s || d == d || mx == mx {
					t.Fatalf("n=%d NaN at %d: Sum %v Dot %v Max %v, want NaN", n, pos, s, d, mx)
				}
				xs[pos] = float32(math.Inf(1))
				if mx := maxNEON(xs); !math.IsInf(float64(mx), 1) {
					t.Fatalf("n=%d +Inf at %d: Max %v", n, pos, mx)
				}
			}
		}
	}
	if m := maxNEON(nil); !math.IsInf(float64(m), -1) {
		t.Fatalf("Max(empty) = %v, want -Inf", m)
	}
	if s := sumNEON(nil); s != 0 {
		t.Fatalf("Sum(empty) = %v", s)
	}
}

// TestVecNEONTranscendentalULP sweeps the float32 range (every 2039th bit
// pattern of each sign, plus dense steps near 0 and the thresholds) and
// reports the largest error of Exp, Sigmoid and Tanh against float64 math.
func TestVecNEONTranscendentalULP(t *testing.T) {
	var xs []float32
	step := uint64(2039)
	if testing.Short() {
		step = 65521
	}
	for b := uint64(0); b < 0x7f800000; b += step {
		xs = append(xs, math.Float32frombits(uint32(b)), -math.Float32frombits(uint32(b)))
	}
	for _, center := range []float32{0, 88.72, -87.3, -103.3, 9, -9, 0.35, -0.35, 20, -20, 1, 0.7, 1.4, 0.875, -0.875, 1.5, 3.5, 7, -1.5, -3.5, -7, -13, -14.5} {
		for i := -2000; i <= 2000; i++ {
			xs = append(xs, center+float32(i)*1e-3)
		}
	}
	xs = append(xs, neonSpecials...)
	dst := make([]float32, len(xs))
	for _, c := range neonUnaryCases() {
		if c.maxULPs < 2 {
			continue
		}
		c.kernel(dst, xs)
		var worst int64
		var worstX float32
		for i, x := range xs {
			if d := neonULPDiff(dst[i], c.ref(x)); d > worst {
				worst, worstX = d, x
			}
		}
		t.Logf("%s: max error %d ulp at x=%v over %d inputs", c.name, worst, worstX, len(xs))
		if worst > c.maxULPs {
			t.Errorf("%s(%v) = %v, want %v: %d ulp > %d", c.name, worstX, dst[neonIndexOf(xs, worstX)], c.ref(worstX), worst, c.maxULPs)
		}
	}
}

func neonIndexOf(xs []float32, x float32) int {
	for i, v := range xs {
		if math.Float32bits(v) == math.Float32bits(x) {
			return i
		}
	}
	return -1
}

// TestVecNEONSpecialValues pins the IEEE cases Go's math defines.
func TestVecNEONSpecialValues(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	cases := []struct {
		name string
		f    func(dst, x []float32)
		x    float32
		want float64
	}{
		{"exp", expNEON, float32(nan), nan},
		{"exp", expNEON, float32(inf), inf},
		{"exp", expNEON, float32(-inf), 0},
		{"exp", expNEON, 88.8, inf},
		{"exp", expNEON, -104, 0},
		{"exp", expNEON, 0, 1},
		{"sigmoid", sigmoidNEON, float32(nan), nan},
		{"sigmoid", sigmoidNEON, float32(inf), 1},
		{"sigmoid", sigmoidNEON, float32(-inf), 0},
		{"tanh", tanhNEON, float32(nan), nan},
		{"tanh", tanhNEON, float32(inf), 1},
		{"tanh", tanhNEON, float32(-inf), -1},
		{"tanh", tanhNEON, float32(math.Copysign(0, -1)), math.Copysign(0, -1)},
		{"relu", reluNEON, float32(nan), nan},
		{"erf", erfNEON, float32(nan), nan},
		{"erf", erfNEON, float32(inf), 1},
		{"erf", erfNEON, float32(-inf), -1},
		{"erf", erfNEON, float32(math.Copysign(0, -1)), math.Copysign(0, -1)},
		{"gelu", geluNEON, float32(nan), nan},
		{"gelu", geluNEON, float32(inf), inf},
		{"gelu", geluNEON, float32(-inf), nan}, // -Inf * 0, as in float64 math
		{"gelu", geluNEON, -30, math.Copysign(0, -1)},
		{"softrelu", softReluNEON, float32(nan), nan},
		{"softrelu", softReluNEON, float32(inf), inf},
		{"softrelu", softReluNEON, float32(-inf), 0},
		{"log", logNEON, float32(nan), nan},
		{"log", logNEON, float32(inf), inf},
		{"log", logNEON, float32(-inf), nan},
		{"log", logNEON, -1, nan},
		{"log", logNEON, 0, -inf},
		{"log", logNEON, float32(math.Copysign(0, -1)), -inf},
		{"log", logNEON, 1, 0},
		{"log", logNEON, 0x1p-149, math.Log(0x1p-149)},
	}
	for _, c := range cases {
		dst := []float32{0}
		c.f(dst, []float32{c.x})
		got := dst[0]
		if neonULPDiff(got, c.want) != 0 || math.Signbit(float64(got)) != math.Signbit(c.want) && c.want == c.want {
			t.Errorf("%s(%v) = %v, want %v", c.name, c.x, got, c.want)
		}
	}
}

// BenchmarkVecNEON reports GB/s (bytes read + written) for the NEON kernels.
func BenchmarkVecNEON(b *testing.B) {
	for _, n := range []int{256, 4096, 65536} {
		x := neonInput(rand.New(rand.NewPCG(1, 1)), n, 5, false)
		y := neonInput(rand.New(rand.NewPCG(2, 2)), n, 5, false)
		dst := make([]float32, n)
		ops := []struct {
			name   string
			arrays int
			f      func()
		}{
			{"relu", 2, func() { reluNEON(dst, x) }},
			{"axpy", 3, func() { axpyNEON(dst, x, 0.5) }},
			{"add", 3, func() { addNEON(dst, x, y) }},
			{"sum", 1, func() { _ = sumNEON(x) }},
			{"exp", 2, func() { expNEON(dst, x) }},
			{"tanh", 2, func() { tanhNEON(dst, x) }},
		}
		for _, op := range ops {
			b.Run(fmt.Sprintf("op=%s/n=%d/impl=neon", op.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					op.f()
				}
				bytes := float64(4 * n * op.arrays * b.N)
				b.ReportMetric(bytes/b.Elapsed().Seconds()/1e9, "GB/s")
			})
		}
	}
}
