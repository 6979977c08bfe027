package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/mxgo/mxgo/asm"
)

// TestPoolMaxVecMatchesLoop checks the vector max pooling (poolMaxVec)
// against poolMax2D's loop bit for bit — the sign of zeros, skipped NaNs,
// −Inf and empty windows giving −MaxFloat32 — over kernel sizes 1–4,
// column strides 1 and 2, row strides 1–3, padding 0–2, the valid and
// full conventions, odd and even widths from 3, heights up to 40 (blocks
// of output rows, small blocks forced too), whole planes and row ranges.
func TestPoolMaxVecMatchesLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	special := []float32{float32(math.NaN()), float32(math.Inf(-1)), float32(math.Inf(1)), 0,
		float32(math.Copysign(0, -1)), -math.MaxFloat32, 1, 1}
	defer func(b int) { poolMaxBlockFloats = b }(poolMaxBlockFloats)
	tested := 0
	for kh := 1; kh <= 4; kh++ {
		for kw := 1; kw <= 4; kw++ {
			for _, sw := range []int{1, 2} {
				for sh := 1; sh <= 3; sh++ {
					for p := range 3 {
						for _, full := range []bool{false, true} {
							if p >= kh || p >= kw {
								continue // MXNet requires pad < kernel
							}
							H, W := 2+r.IntN(39), 3+r.IntN(44)
							poolMaxBlockFloats = 1 << 16
							if r.IntN(2) == 0 {
								poolMaxBlockFloats = 1 // one output row per block
							} else if r.IntN(2) == 0 {
								poolMaxBlockFloats = 400 + r.IntN(2000)
							}
							outDim := func(in, k, s int) int {
								if full {
									return (in+2*p-k+s-1)/s + 1
								}
								return (in+2*p-k)/s + 1
							}
							g := poolDims{n: 1, c: 3}
							g.in = [3]int{1, H, W}
							g.out = [3]int{1, outDim(H, kh, sh), outDim(W, kw, sw)}
							g.k, g.s, g.p = [3]int{1, kh, kw}, [3]int{1, sh, sw}, [3]int{0, p, p}
							g.inPlane, g.outPlane = H*W, g.out[1]*g.out[2]
							g.inBatch, g.outBatch = g.c*g.inPlane, g.c*g.outPlane
							g.spStride = 1
							x := make([]float32, g.c*g.inPlane)
							for i := range x {
								x[i] = float32(r.IntN(7) - 3) // many ties
								if r.IntN(5) == 0 {
									x[i] = special[r.IntN(len(special))]
								}
							}
							if g.out[1] < 1 || g.out[2] < 1 {
								continue
							}
							want := make([]float32, g.c*g.outPlane)
							rows := make([]float32, len(want))
							planes := make([]float32, len(want))
							mask := make([]int32, len(want))
							poolMax2D(&g, x, want, mask, 0, g.c, 0, g.out[1])
							// Row ranges, whole planes in two calls.
							r0 := 1 + r.IntN(g.out[1])
							poolMax2D(&g, x, rows, nil, 0, g.c, 0, r0)
							poolMax2D(&g, x, rows, nil, 0, g.c, r0, g.out[1])
							poolMax2D(&g, x, planes, nil, 0, 1, 0, g.out[1])
							poolMax2D(&g, x, planes, nil, 1, g.c, 0, g.out[1])
							if v, ok := newPoolMaxVec(&g); ok {
								v.release()
								tested++
							}
							what := fmt.Sprintf("k %dx%d s %dx%d p %d full %v in %dx%d", kh, kw, sh, sw, p, full, H, W)
							for i := range want {
								if math.Float32bits(rows[i]) != math.Float32bits(want[i]) || math.Float32bits(planes[i]) != math.Float32bits(want[i]) {
									t.Fatalf("%s: [%d] = %v by rows, %v by planes, the loop gives %v", what, i, rows[i], planes[i], want[i])
								}
							}
						}
					}
				}
			}
		}
	}
	if tested < 200 {
		t.Fatalf("only %d geometries took the vector path", tested)
	}
}

// BenchmarkPoolMax2D times 2-D max pooling at inference on real models'
// geometries, the vector path (poolMaxVec) and poolMax2D's loop in
// alternating rounds, one goroutine: input elements per second.
func BenchmarkPoolMax2D(b *testing.B) {
	for _, c := range []struct {
		name              string
		ch, h, w, k, s, p int
		full              bool
	}{
		{"mtcnn-det1-10x238x318-k2s2", 10, 238, 318, 2, 2, 0, true},
		{"mtcnn-det4-28x23x23-k3s2", 28, 23, 23, 3, 2, 0, true},
		{"resnet-64x112x112-k3s2p1", 64, 112, 112, 3, 2, 1, false},
		{"same-32x56x56-k3s1p1", 32, 56, 56, 3, 1, 1, false},
	} {
		g := poolDims{n: 1, c: c.ch, spStride: 1}
		od := func(in int) int {
			if c.full {
				return (in+2*c.p-c.k+c.s-1)/c.s + 1
			}
			return (in+2*c.p-c.k)/c.s + 1
		}
		g.in, g.out = [3]int{1, c.h, c.w}, [3]int{1, od(c.h), od(c.w)}
		g.k, g.s, g.p = [3]int{1, c.k, c.k}, [3]int{1, c.s, c.s}, [3]int{0, c.p, c.p}
		g.inPlane, g.outPlane = c.h*c.w, g.out[1]*g.out[2]
		g.inBatch, g.outBatch = c.ch*g.inPlane, c.ch*g.outPlane
		r := rand.New(rand.NewPCG(1, 2))
		x := make([]float32, g.inBatch)
		for i := range x {
			x[i] = r.Float32()*2 - 1
		}
		y := make([]float32, g.outBatch)
		b.Run(c.name, func(b *testing.B) {
			defer func() { poolMaxVector = true }()
			var tv, tl time.Duration
			for b.Loop() {
				for _, vec := range []bool{true, false} {
					poolMaxVector = vec
					s := time.Now()
					poolMax2D(&g, x, y, nil, 0, c.ch, 0, g.out[1])
					if vec {
						tv += time.Since(s)
					} else {
						tl += time.Since(s)
					}
				}
			}
			b.ReportMetric(float64(g.inBatch)*float64(b.N)/tv.Seconds()/1e9, "vector-Gelem/s")
			b.ReportMetric(float64(g.inBatch)*float64(b.N)/tl.Seconds()/1e9, "loop-Gelem/s")
			b.ReportMetric(tl.Seconds()/tv.Seconds(), "speedup")
		})
	}
}

// TestPoolMax2x2MatchesLoop checks poolMax2D's path for 2×2 windows at
// stride 2 (asm.MaxPool2x2S2 where the kernels have it, with every
// implementation) against its loop bit for bit, on odd and even sizes
// with the valid and full conventions (full with an odd size clips the
// last window: the general path then), whole planes and row ranges, NaN,
// ±Inf and ±0.
func TestPoolMax2x2MatchesLoop(t *testing.T) {
	defer func() { poolMaxVector = true }()
	r := rand.New(rand.NewPCG(7, 8))
	special := []float32{float32(math.NaN()), float32(math.Inf(-1)), float32(math.Inf(1)), 0,
		float32(math.Copysign(0, -1)), -math.MaxFloat32}
	took := 0
	asm.ForEachImpl(func(impl string) {
		for _, hw := range [][2]int{{2, 2}, {4, 34}, {5, 33}, {7, 64}, {8, 65}, {17, 31}, {238, 318}} {
			for _, full := range []bool{false, true} {
				h, w := hw[0], hw[1]
				od := func(in int) int {
					if full {
						return (in-2+1)/2 + 1
					}
					return (in-2)/2 + 1
				}
				const planes = 3
				g := poolDims{n: 1, c: planes, spStride: 1}
				g.in, g.out = [3]int{1, h, w}, [3]int{1, od(h), od(w)}
				g.k, g.s = [3]int{1, 2, 2}, [3]int{1, 2, 2}
				g.inPlane, g.outPlane = h*w, g.out[1]*g.out[2]
				g.inBatch, g.outBatch = planes*g.inPlane, planes*g.outPlane
				x := make([]float32, g.inBatch)
				for i := range x {
					x[i] = float32(r.IntN(5)) - 2
					if r.IntN(6) == 0 {
						x[i] = special[r.IntN(len(special))]
					}
				}
				if g.max2x2() {
					took++
				}
				oh := g.out[1]
				for _, rr := range [][2]int{{0, oh}, {oh / 2, oh}, {0, (oh + 1) / 2}} {
					got, want := make([]float32, g.outBatch), make([]float32, g.outBatch)
					poolMaxVector = true
					poolMax2D(&g, x, got, nil, 0, planes, rr[0], rr[1])
					poolMaxVector = false
					poolMax2D(&g, x, want, nil, 0, planes, rr[0], rr[1])
					for i := range want {
						if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
							t.Fatalf("%s %dx%d full=%v rows %v: output %d is %v, the loop gives %v", impl, h, w, full, rr, i, got[i], want[i])
						}
					}
				}
			}
		}
	})
	if took == 0 {
		t.Fatal("no case took the 2×2 path")
	}
}
