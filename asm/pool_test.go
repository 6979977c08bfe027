package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMaxPool2x2S2 checks MaxPool2x2S2 bit for bit against its Go twin
// (itself checked against the window loop written out below) with every
// implementation that has a kernel (avx512, avx2; the others must report
// false): widths 1..70 (every vector step and tail), 1 to 5 rows, gaps
// between the rows (ldd > cols, lds > 2·cols) on unaligned slices, NaN,
// ±Inf, ±0, −MaxFloat32 and ties; floats between and after the output
// rows must stay untouched.
func TestMaxPool2x2S2(t *testing.T) {
	prev := Impl()
	defer func() { _ = SetImpl(prev) }()
	inf := float32(math.Inf(1))
	special := []float32{float32(math.NaN()), inf, -inf, negZero, 0, 1, -1, poolNegMax, 1e-40}
	r := rand.New(rand.NewPCG(61, 62))
	ran := 0
	for _, impl := range Impls() {
		if err := SetImpl(impl); err != nil {
			t.Fatal(err)
		}
		for cols := 1; cols <= 70; cols++ {
			rows := 1 + cols%5
			lds, ldd := 2*cols+cols%3, cols+cols%2
			sbuf := make([]float32, 1+2*rows*lds)
			src := sbuf[1:]
			for i := range src {
				src[i] = float32(r.IntN(7)) - 3 // many ties
				if r.IntN(5) == 0 {
					src[i] = special[r.IntN(len(special))]
				}
			}
			dbuf := make([]float32, 1+rows*ldd+3)
			for i := range dbuf {
				dbuf[i] = sentinel
			}
			dst := dbuf[1 : 1+rows*ldd]
			ok := MaxPool2x2S2(dst, ldd, src, lds, rows, cols)
			what := fmt.Sprintf("%s %d×%d", impl, rows, cols)
			if ok != (impl == AVX512 || impl == AVX2) {
				t.Fatalf("%s: reported %v", what, ok)
			}
			want := make([]float32, len(dst))
			for i := range want {
				want[i] = sentinel
			}
			maxPool2x2S2Generic(want, ldd, src, lds, rows, cols, 0)
			// The twin against the loop of poolMax2D's semantics.
			for rr := range rows {
				for j := range cols {
					m := float32(-math.MaxFloat32)
					for ih := 2 * rr; ih < 2*rr+2; ih++ {
						for iw := 2 * j; iw < 2*j+2; iw++ {
							if v := src[ih*lds+iw]; v > m {
								m = v
							}
						}
					}
					if math.Float32bits(m) != math.Float32bits(want[rr*ldd+j]) {
						t.Fatalf("%s: twin (%d,%d) %v, loop %v", what, rr, j, want[rr*ldd+j], m)
					}
				}
			}
			if !ok {
				continue
			}
			ran++
			checkSameBits(t, what, dst, want)
			if dbuf[0] != sentinel || dbuf[len(dbuf)-1] != sentinel {
				t.Fatalf("%s: wrote outside dst", what)
			}
		}
	}
	if ran == 0 && (slices.Contains(Impls(), AVX512) || slices.Contains(Impls(), AVX2)) {
		t.Fatal("no case ran")
	}
	if !slices.Contains(Impls(), AVX512) {
		t.Log("avx512 kernel skipped: no AVX-512 here")
	}
}

// BenchmarkMaxPool2x2S2 times MTCNN det1's pooling (10 planes of 238×318 →
// 119×159), GFLOP-free: Gelem/s of outputs.
func BenchmarkMaxPool2x2S2(b *testing.B) {
	const planes, h, w = 10, 238, 318
	r := rand.New(rand.NewPCG(1, 2))
	src := randSlice(r, planes*h*w)
	dst := make([]float32, planes*(h/2)*(w/2))
	ForEachImpl(func(impl string) {
		b.Run(impl, func(b *testing.B) {
			for range b.N {
				for p := range planes {
					if !MaxPool2x2S2(dst[p*(h/2)*(w/2):], w/2, src[p*h*w:], w, h/2, w/2) {
						b.Skip("no kernel")
					}
				}
			}
			b.ReportMetric(float64(len(dst))*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gout/s")
		})
	})
}
