package asm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDepthwiseRow9 checks every implementation against a float64 sum for
// every length up to 70 (all vector steps and tails), on slices offset by
// one float (unaligned), and that nothing past len(dst) is written.
func TestDepthwiseRow9(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ForEachImpl(func(impl string) {
		for n := 0; n <= 70; n++ {
			var src [9][]float32
			var w [9]float32
			for k := range src {
				s := make([]float32, n+1)
				for i := range s {
					s[i] = rng.Float32()*2 - 1
				}
				src[k] = s[1:]
				w[k] = rng.Float32()*2 - 1
			}
			bias := rng.Float32() - 0.5
			buf := make([]float32, n+2)
			for i := range buf {
				buf[i] = 42
			}
			dst := buf[1 : n+1]
			DepthwiseRow9(dst, &src, &w, bias)
			if buf[0] != 42 || buf[n+1] != 42 {
				t.Fatalf("impl=%s n=%d: wrote outside dst", impl, n)
			}
			for i := range dst {
				want := float64(bias)
				for k := range src {
					want += float64(w[k]) * float64(src[k][i])
				}
				if math.Abs(float64(dst[i])-want) > 1e-5 {
					t.Fatalf("impl=%s n=%d i=%d: got %v want %v", impl, n, i, dst[i], want)
				}
			}
		}
	})
}

// TestDepthwiseRow9Split checks that an element's value does not depend on
// where a row starts or how long it is (the invariance ops relies on to
// split work over threads).
func TestDepthwiseRow9Split(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ForEachImpl(func(impl string) {
		const n = 67
		var src [9][]float32
		var w [9]float32
		for k := range src {
			src[k] = make([]float32, n)
			for i := range src[k] {
				src[k][i] = rng.Float32()*2 - 1
			}
			w[k] = rng.Float32()
		}
		whole := make([]float32, n)
		DepthwiseRow9(whole, &src, &w, 0.25)
		for lo := 0; lo < n; lo += 5 {
			var part [9][]float32
			for k := range src {
				part[k] = src[k][lo:]
			}
			got := make([]float32, n-lo)
			DepthwiseRow9(got, &part, &w, 0.25)
			for i := range got {
				if got[i] != whole[lo+i] {
					t.Fatalf("impl=%s lo=%d i=%d: %v != %v", impl, lo, i, got[i], whole[lo+i])
				}
			}
		}
	})
}

func BenchmarkDepthwiseRow9(b *testing.B) {
	for _, n := range []int{7, 14, 28, 56, 112} {
		ForEachImpl(func(impl string) {
			b.Run(impl+"/n="+itoa(n), func(b *testing.B) {
				var src [9][]float32
				var w [9]float32
				for k := range src {
					src[k] = make([]float32, n)
				}
				dst := make([]float32, n)
				for range b.N {
					DepthwiseRow9(dst, &src, &w, 0)
				}
				b.ReportMetric(18*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		})
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// TestSplitEvenOdd checks every implementation and length up to 70 on
// unaligned slices, and that nothing past the outputs is written.
func TestSplitEvenOdd(t *testing.T) {
	ForEachImpl(func(impl string) {
		for n := 0; n <= 70; n++ {
			src := make([]float32, 2*n+2)
			for i := range src {
				src[i] = float32(i) + 0.5
			}
			ev, od := make([]float32, n+2), make([]float32, n+2)
			ev[n+1], od[n+1] = -1, -1
			SplitEvenOdd(ev[1:n+1], od[1:n+1], src[1:2*n+1])
			for j := range n {
				if ev[1+j] != src[1+2*j] || od[1+j] != src[2+2*j] {
					t.Fatalf("impl=%s n=%d j=%d: %v %v", impl, n, j, ev[1+j], od[1+j])
				}
			}
			if ev[0] != 0 || od[0] != 0 || ev[n+1] != -1 || od[n+1] != -1 {
				t.Fatalf("impl=%s n=%d: wrote outside", impl, n)
			}
		}
	})
}

// dwActs are DepthwiseRows9's activations under test: none, Relu, Clip.
var dwActs = []struct {
	name          string
	lo, hi, zero  float32
	apply         func(float64) float64
	clampsNegZero bool
}{
	{"none", float32(math.Inf(-1)), float32(math.Inf(1)), negZero, func(v float64) float64 { return v }, false},
	{"relu", 0, float32(math.Inf(1)), 0, func(v float64) float64 { return max(v, 0) }, true},
	{"clip", -0.5, 0.75, negZero, func(v float64) float64 { return min(max(v, -0.5), 0.75) }, false},
}

// TestDepthwiseRows9 checks every implementation against a float64 sum on
// 1-4 rows (pairs and a last odd row) of every width up to 40 (all vector steps and masked tails),
// with gaps between rows in the taps and in dst, unaligned slices, each
// activation, and that nothing outside the rows' columns is written.
func TestDepthwiseRows9(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ForEachImpl(func(impl string) {
		for _, act := range dwActs {
			for rows := 1; rows <= 4; rows++ {
				for cols := 0; cols <= 40; cols++ {
					lds, ldd := cols+rng.IntN(3), cols+rng.IntN(3)
					var src [9][]float32
					var w [9]float32
					n := (rows-1)*lds + cols
					for k := range src {
						s := make([]float32, n+1)
						for i := range s {
							s[i] = rng.Float32()*2 - 1
						}
						src[k] = s[1:]
						w[k] = rng.Float32()*2 - 1
					}
					bias := rng.Float32() - 0.5
					m := (rows-1)*ldd + cols
					buf := make([]float32, m+2)
					for i := range buf {
						buf[i] = 42
					}
					dst := buf[1 : m+1]
					DepthwiseRows9(dst, ldd, &src, lds, rows, cols, &w, bias, act.lo, act.hi, act.zero)
					if buf[0] != 42 || buf[m+1] != 42 {
						t.Fatalf("impl=%s %s %dx%d: wrote outside dst", impl, act.name, rows, cols)
					}
					for r := range rows {
						for i := range ldd {
							if r*ldd+i >= m {
								break
							}
							got := dst[r*ldd+i]
							if i >= cols {
								if got != 42 {
									t.Fatalf("impl=%s %s %dx%d: wrote the gap at row %d col %d", impl, act.name, rows, cols, r, i)
								}
								continue
							}
							want := float64(bias)
							for k := range src {
								want += float64(w[k]) * float64(src[k][r*lds+i])
							}
							want = act.apply(want)
							if math.Abs(float64(got)-want) > 1e-5 {
								t.Fatalf("impl=%s %s %dx%d r=%d i=%d: got %v want %v", impl, act.name, rows, cols, r, i, got, want)
							}
						}
					}
				}
			}
		}
	})
}

// TestDepthwiseRows9Special checks the activations' NaN and signed-zero
// rules in every lane position (vector steps and tails).
func TestDepthwiseRows9Special(t *testing.T) {
	const cols = 37
	nan := float32(math.NaN())
	ForEachImpl(func(impl string) {
		for _, act := range dwActs {
			var src [9][]float32
			for k := range src {
				src[k] = make([]float32, cols)
			}
			w := [9]float32{1}
			for i := range cols {
				if i%2 == 0 {
					src[0][i] = nan
				}
			}
			dst := make([]float32, cols)
			DepthwiseRows9(dst, cols, &src, cols, 1, cols, &w, negZero, act.lo, act.hi, act.zero)
			for i, v := range dst {
				if i%2 == 0 && !math.IsNaN(float64(v)) {
					t.Errorf("impl=%s %s lane %d: NaN became %v", impl, act.name, i, v)
				}
			}
			// A bias of -0 and -0 weights on +0 taps sum to -0, which
			// Relu turns into +0 and the others keep.
			negW := [9]float32{negZero, negZero, negZero, negZero, negZero, negZero, negZero, negZero, negZero}
			for k := range src {
				clear(src[k])
			}
			DepthwiseRows9(dst, cols, &src, cols, 1, cols, &negW, negZero, act.lo, act.hi, act.zero)
			for i, v := range dst {
				if math.Signbit(float64(v)) == act.clampsNegZero || v != 0 {
					t.Errorf("impl=%s %s lane %d: -0 sum gave %v (sign %v)", impl, act.name, i, v, math.Signbit(float64(v)))
				}
			}
		}
	})
}

// TestDepthwiseRows9Invariant checks that an element's bits do not depend
// on the call's geometry (rows, cols, where it starts) and that avx2 and
// avx512 agree bit for bit.
func TestDepthwiseRows9Invariant(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const rows, cols, lds = 5, 45, 47
	var src [9][]float32
	var w [9]float32
	for k := range src {
		src[k] = make([]float32, rows*lds)
		for i := range src[k] {
			src[k][i] = rng.Float32()*2 - 1
		}
		w[k] = rng.Float32()*2 - 1
	}
	results := map[string][]float32{}
	ForEachImpl(func(impl string) {
		whole := make([]float32, rows*cols)
		DepthwiseRows9(whole, cols, &src, lds, rows, cols, &w, 0.25, 0, float32(math.Inf(1)), 0)
		results[impl] = whole
		for r0 := range rows {
			for c0 := 0; c0 < cols; c0 += 7 {
				var part [9][]float32
				for k := range src {
					part[k] = src[k][r0*lds+c0:]
				}
				nr, nc := rows-r0, cols-c0
				got := make([]float32, nr*nc)
				DepthwiseRows9(got, nc, &part, lds, nr, nc, &w, 0.25, 0, float32(math.Inf(1)), 0)
				for r := range nr {
					for i := range nc {
						if g, want := got[r*nc+i], whole[(r0+r)*cols+c0+i]; math.Float32bits(g) != math.Float32bits(want) {
							t.Fatalf("impl=%s from (%d,%d): (%d,%d) = %v, whole-plane call %v", impl, r0, c0, r, i, g, want)
						}
					}
				}
			}
		}
	})
	a, b := results[AVX2], results[AVX512]
	if a == nil || b == nil {
		t.Skip("avx2 and avx512 not both available: no cross-implementation check")
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("element %d: avx2 %v, avx512 %v", i, a[i], b[i])
		}
	}
}

// TestDepthwiseRows9Panics checks the geometry checks.
func TestDepthwiseRows9Panics(t *testing.T) {
	var src [9][]float32
	for k := range src {
		src[k] = make([]float32, 10)
	}
	var w [9]float32
	for _, c := range []struct {
		name                        string
		dst                         int
		ldd, lds, rows, cols, short int
	}{
		{"ldd<cols", 20, 3, 4, 2, 4, 0},
		{"dst short", 7, 4, 4, 2, 4, 0},
		{"tap short", 20, 4, 7, 2, 4, 0},
		{"negative rows", 20, 4, 4, -1, 4, 0},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", c.name)
				}
			}()
			DepthwiseRows9(make([]float32, c.dst), c.ldd, &src, c.lds, c.rows, c.cols, &w, 0, 0, 0, 0)
		}()
	}
}

func BenchmarkDepthwiseRows9(b *testing.B) {
	for _, n := range []int{7, 14, 28, 56, 112} {
		ForEachImpl(func(impl string) {
			b.Run(impl+"/n="+itoa(n), func(b *testing.B) {
				var src [9][]float32
				var w [9]float32
				for k := range src {
					src[k] = make([]float32, n*(n+2)+2)
				}
				dst := make([]float32, n*n)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					DepthwiseRows9(dst, n, &src, n+2, n, n, &w, 0, 0, float32(math.Inf(1)), 0)
				}
				b.ReportMetric(18*float64(n*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		})
	}
}

// TestSplitRows checks every implementation on 1-3 rows of every pair
// count up to 40 (vector steps and every tail) with gaps between rows,
// unaligned slices, and that nothing outside the rows' columns is written.
func TestSplitRows(t *testing.T) {
	ForEachImpl(func(impl string) {
		for rows := 1; rows <= 3; rows++ {
			for n := 0; n <= 40; n++ {
				lds, ldo := 2*n+rows%2, n+1
				src := make([]float32, 1+(rows-1)*lds+2*n)
				for i := range src {
					src[i] = float32(i) + 0.5
				}
				m := (rows-1)*ldo + n
				ev, od := make([]float32, m+2), make([]float32, m+2)
				for i := range ev {
					ev[i], od[i] = -1, -2
				}
				SplitRows(ev[1:m+1], od[1:m+1], ldo, src[1:], lds, rows, n)
				for i := range ev {
					r, j := (i-1)/ldo, (i-1)%ldo
					we, wo := float32(-1), float32(-2)
					if i >= 1 && i <= m && j < n {
						we, wo = src[1+r*lds+2*j], src[2+r*lds+2*j]
					}
					if ev[i] != we || od[i] != wo {
						t.Fatalf("impl=%s rows=%d n=%d: [%d] = %v, %v; want %v, %v", impl, rows, n, i, ev[i], od[i], we, wo)
					}
				}
			}
		}
	})
	defer func() {
		if recover() == nil {
			t.Error("SplitRows with a short src: no panic")
		}
	}()
	SplitRows(make([]float32, 8), make([]float32, 8), 4, make([]float32, 14), 8, 2, 4)
}

// TestDepthwiseRows9Plane checks taps laid out as rows of one padded
// plane (the stride-1 layout, which the AVX-512 kernel detects and serves
// loading each input row once per four, then two, output rows) against a
// float64 sum for 1-9 rows of every width up to 40, each activation, and
// that avx2 and avx512 agree bit for bit.
func TestDepthwiseRows9Plane(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for rows := 1; rows <= 9; rows++ {
		for cols := 1; cols <= 40; cols++ {
			lds := cols + 2 + rng.IntN(2)
			plane := make([]float32, 1+(rows+2)*lds)
			for i := range plane {
				plane[i] = rng.Float32()*2 - 1
			}
			plane = plane[1:] // unaligned
			var src [9][]float32
			var w [9]float32
			for kh := range 3 {
				for kw := range 3 {
					src[kh*3+kw] = plane[kh*lds+kw:]
					w[kh*3+kw] = rng.Float32()*2 - 1
				}
			}
			for _, act := range dwActs {
				got := map[string][]float32{}
				ForEachImpl(func(impl string) {
					dst := make([]float32, rows*cols)
					DepthwiseRows9(dst, cols, &src, lds, rows, cols, &w, 0.125, act.lo, act.hi, act.zero)
					for r := range rows {
						for i := range cols {
							want := 0.125
							for k := range src {
								want += float64(w[k]) * float64(src[k][r*lds+i])
							}
							want = act.apply(want)
							if v := dst[r*cols+i]; math.Abs(float64(v)-want) > 1e-5 {
								t.Fatalf("impl=%s %s %dx%d (%d,%d): got %v want %v", impl, act.name, rows, cols, r, i, v, want)
							}
						}
					}
					got[impl] = dst
				})
				if a, b := got[AVX2], got[AVX512]; a != nil && b != nil {
					for i := range a {
						if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
							t.Fatalf("%s %dx%d element %d: avx2 %v, avx512 %v", act.name, rows, cols, i, a[i], b[i])
						}
					}
				}
			}
		}
	}
}
