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
