package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// ciCase is one ConvImplicit problem with guard bands: c rows of n
// outputs at stride ldc > n inside a buffer filled with a sentinel.
type ciCase struct {
	m, n, k, ldw, ldc int
	w, b              []float32
	offs              []int32
}

const ciGuard = 7

func newCICase(rng *rand.Rand, m, n, k int) *ciCase {
	c := &ciCase{m: m, n: n, k: k, ldw: k + 3, ldc: n + 5}
	// Offset by one float: unaligned rows.
	c.w = randSlice(rng, 1+m*c.ldw)[1:]
	span := n + 40
	c.b = randSlice(rng, 1+span)[1:]
	c.offs = make([]int32, k)
	for i := range c.offs {
		c.offs[i] = int32(rng.IntN(span - n + 1))
	}
	if k > 0 {
		c.offs[0] = int32(span - n) // the last valid offset
	}
	return c
}

// run returns the output buffer (guard bands included) after one call.
func (c *ciCase) run(f func(m, n int, w []float32, ldw int, b []float32, offs []int32, out []float32, ldc int)) []float32 {
	buf := make([]float32, 2*ciGuard+c.m*c.ldc)
	for i := range buf {
		buf[i] = 42
	}
	f(c.m, c.n, c.w, c.ldw, c.b, c.offs, buf[ciGuard:ciGuard+(c.m-1)*c.ldc+c.n], c.ldc)
	return buf
}

// check compares out with a float64 reference and checks the guard
// bands and the gaps between rows.
func (c *ciCase) check(t *testing.T, what string, buf []float32) {
	t.Helper()
	for i, v := range buf {
		j := i - ciGuard
		row, col := j/c.ldc, j%c.ldc
		if j < 0 || row >= c.m || col >= c.n {
			if v != 42 {
				t.Fatalf("%s m=%d n=%d k=%d: wrote outside the output at %d", what, c.m, c.n, c.k, j)
			}
			continue
		}
		var want, mag float64
		for t, o := range c.offs {
			p := float64(c.w[row*c.ldw+t]) * float64(c.b[int(o)+col])
			want += p
			mag += math.Abs(p)
		}
		if math.Abs(float64(v)-want) > 1e-6*(mag+1)*float64(c.k+1) {
			t.Fatalf("%s m=%d n=%d k=%d: c[%d][%d] = %v, want %v", what, c.m, c.n, c.k, row, col, v, want)
		}
	}
}

// TestConvImplicit checks every implementation against a float64 sum for
// every row count up to ConvImplicitMaxM, every position tail up to three
// AVX-512 vectors and one more, every tail of the 4-vector AVX-512 kernels
// (after 0, 1 and 3 full steps: the lengths they take), and reduction
// lengths 0, 1, 7 and 27, with unaligned slices, random offsets and guard
// bands.
func TestConvImplicit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var cases []*ciCase
	for _, k := range []int{0, 1, 7, 27} {
		for m := 1; m <= ConvImplicitMaxM; m++ {
			for n := 1; n <= 3*16+1; n++ {
				cases = append(cases, newCICase(rng, m, n, k))
			}
			for _, n := range []int{95, 96, 97, 150} {
				cases = append(cases, newCICase(rng, m, n, k))
			}
			for n := 50; n <= 256; n++ {
				if ciWide(n) && (n <= 128 || n > 192) {
					cases = append(cases, newCICase(rng, m, n, k))
				}
			}
		}
	}
	ForEachImpl(func(impl string) {
		for _, c := range cases {
			c.check(t, impl, c.run(ConvImplicit))
		}
	})
}

// TestConvImplicitTwins checks that the SIMD kernels give identical bits
// (the same fused chain) and match the Go twin within float32 rounding.
func TestConvImplicitTwins(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	impls := Impls()
	for _, want := range []string{AVX2, AVX512} {
		if !slices.Contains(impls, want) {
			t.Logf("%s not available here: skipping its comparison", want)
		}
	}
	for _, k := range []int{1, 9, 144} {
		for m := 1; m <= ConvImplicitMaxM; m++ {
			for _, n := range []int{1, 8, 15, 17, 23, 25, 47, 49, 64, 100, 113, 193, 250, 256} {
				c := newCICase(rng, m, n, k)
				gen := c.run(convImplicitGeneric)
				var simd [][]float32
				for _, impl := range impls {
					if impl == Generic {
						continue
					}
					got := c.run(func(m, n int, w []float32, ldw int, b []float32, offs []int32, out []float32, ldc int) {
						convImplicit(impl, m, n, w, ldw, b, offs, out, ldc, nil, false)
					})
					for i := range got {
						d := math.Abs(float64(got[i] - gen[i]))
						if d > 4e-7*float64(k)*(1+math.Abs(float64(gen[i]))) {
							t.Fatalf("%s m=%d n=%d k=%d: %v vs generic %v at %d", impl, m, n, k, got[i], gen[i], i)
						}
					}
					simd = append(simd, got)
				}
				for i := 1; i < len(simd); i++ {
					for j := range simd[0] {
						if math.Float32bits(simd[i][j]) != math.Float32bits(simd[0][j]) {
							t.Fatalf("m=%d n=%d k=%d: SIMD kernels differ at %d: %v vs %v", m, n, k, j, simd[i][j], simd[0][j])
						}
					}
				}
			}
		}
	}
}

// TestConvImplicitSplit checks that an element's value does not depend on
// the call's row count, length or where the element falls in a vector
// step (the invariance ops relies on to tile and split work).
func TestConvImplicitSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	ForEachImpl(func(impl string) {
		c := newCICase(rng, 8, 131, 40)
		whole := c.run(ConvImplicit)
		for _, cut := range [][3]int{{0, 1, 5}, {3, 2, 17}, {5, 3, 49}, {1, 7, 99}} {
			i0, m, j0 := cut[0], cut[1], cut[2]
			for _, n := range []int{1, 13, min(64, c.n-j0), c.n - j0} {
				out := make([]float32, m*c.n)
				offs := make([]int32, len(c.offs))
				for i, o := range c.offs {
					offs[i] = o + int32(j0)
				}
				ConvImplicit(m, n, c.w[i0*c.ldw:], c.ldw, c.b, offs, out, c.n)
				for i := range m {
					for j := range n {
						got, want := out[i*c.n+j], whole[ciGuard+(i0+i)*c.ldc+j0+j]
						if math.Float32bits(got) != math.Float32bits(want) {
							t.Fatalf("%s: rows %d+%d from %d n=%d: c[%d][%d] = %v, whole call %v", impl, i0, m, j0, n, i, j, got, want)
						}
					}
				}
			}
		}
	})
}

// TestConvImplicitPanics checks the argument checks.
func TestConvImplicitPanics(t *testing.T) {
	w, b, c := make([]float32, 16), make([]float32, 16), make([]float32, 16)
	for i, f := range []func(){
		func() { ConvImplicit(9, 1, make([]float32, 90), 10, b, []int32{0}, make([]float32, 9), 1) },
		func() { ConvImplicit(1, 4, w, 1, b, []int32{13}, c, 4) },
		func() { ConvImplicit(1, 4, w, 1, b, []int32{-1}, c, 4) },
		func() { ConvImplicit(2, 4, w, 16, b, []int32{0}, c, 4) },
		func() { ConvImplicit(2, 9, w, 1, b, []int32{0}, c, 9) },
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			f()
		})
	}
}

// TestConvCopyRows checks ConvCopyRows and ConvAddRows under every
// implementation on every row length up to 40 (vector steps and tails),
// unaligned, with guard bands between rows.
func TestConvCopyRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	ForEachImpl(func(impl string) {
		for i := range 80 {
			w, add := i%40+1, i >= 40
			for _, rows := range []int{1, 3} {
				lds, ldd := w+2, w+5
				src := randSlice(rng, 1+rows*lds)[1:]
				buf := make([]float32, 2+rows*ldd)
				for i := range buf {
					buf[i] = 42
				}
				const s = 0.375
				if add {
					ConvAddRows(buf[1:1+(rows-1)*ldd+w], ldd, src, lds, w, rows, s)
				} else {
					ConvCopyRows(buf[1:1+(rows-1)*ldd+w], ldd, src, lds, w, rows)
				}
				for i, v := range buf {
					j := i - 1
					want := float32(42)
					if j >= 0 && j/ldd < rows && j%ldd < w {
						want = src[j/ldd*lds+j%ldd]
						if add {
							want += s
						}
					}
					if v != want {
						t.Fatalf("%s add=%v w=%d rows=%d: buf[%d] = %v, want %v", impl, add, w, rows, i, v, want)
					}
				}
			}
		}
	})
}

// TestConvCopyRowsGap checks ConvCopyRowsGap under every implementation:
// widths 1..40, gaps 0..17 (past 16 the Go loop), floats between a gap
// and the next row left alone.
func TestConvCopyRowsGap(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	ForEachImpl(func(impl string) {
		for w := 1; w <= 40; w++ {
			for gap := range 18 {
				for _, rows := range []int{1, 3} {
					lds, ldd := w+1, w+gap+w%3
					src := randSlice(rng, 1+rows*lds)[1:]
					buf := make([]float32, 2+rows*ldd)
					for i := range buf {
						buf[i] = 42
					}
					ConvCopyRowsGap(buf[1:1+(rows-1)*ldd+w+gap], ldd, src, lds, w, rows, gap)
					for i, v := range buf {
						j := i - 1
						want := float32(42)
						if j >= 0 && j/ldd < rows {
							switch c := j % ldd; {
							case c < w:
								want = src[j/ldd*lds+c]
							case c < w+gap:
								want = 0
							}
						}
						if v != want {
							t.Fatalf("%s w=%d gap=%d rows=%d: buf[%d] = %v, want %v", impl, w, gap, rows, i, v, want)
						}
					}
				}
			}
		}
	})
}

// TestConvShiftRows checks ConvShiftRows against its definition under
// every implementation: widths 1..20 (tails of every length), every shift
// from −w to w, padding rows before and after, planes that end inside a
// row or cut the source rows off, one to three planes at strides with
// gaps (left untouched), an unaligned dst inside guard floats and a dirty
// dst.
func TestConvShiftRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	ForEachImpl(func(impl string) {
		for w := 1; w <= 20; w++ {
			for e := -w; e <= w; e++ {
				for gi, g := range [][3]int{{0, 1, 0}, {1, 3, 1}, {2, 5, 0}, {0, 8, 2}, {1, 4, -1}, {3, 2, -5}} {
					top, rows := g[0], g[1]
					n := max((top+rows)*w+g[2]*(w/2+1), 0)
					count := gi%3 + 1
					ldd, lds := n+gi%2*3, rows*w+gi%3
					src := randSlice(rng, 1+(count-1)*lds+rows*w)[1:]
					buf := randSlice(rng, (count-1)*ldd+n+5)
					guard := slices.Clone(buf)
					ConvShiftRows(buf[2:], ldd, n, src, lds, count, w, top, rows, e)
					for i, v := range buf {
						j := i - 2
						want := guard[i]
						if q := j / max(ldd, 1); j >= 0 && q < count && j-q*ldd < n {
							want = 0
							r, c := (j-q*ldd)/w, (j-q*ldd)%w
							if r >= top && r < top+rows && c+e >= 0 && c+e < w {
								want = src[q*lds+(r-top)*w+c+e]
							}
						}
						if math.Float32bits(v) != math.Float32bits(want) {
							t.Fatalf("%s w=%d e=%d top=%d rows=%d n=%d count=%d: buf[%d] = %v, want %v", impl, w, e, top, rows, n, count, i, v, want)
						}
					}
				}
			}
		}
	})
	for _, bad := range []func(){
		func() { ConvShiftRows(make([]float32, 4), 4, 4, make([]float32, 4), 4, 1, 0, 0, 1, 0) },
		func() { ConvShiftRows(make([]float32, 4), 4, 4, make([]float32, 4), 4, 1, 2, -1, 1, 0) },
		func() { ConvShiftRows(make([]float32, 8), 8, 8, make([]float32, 3), 4, 1, 2, 0, 2, 0) },
		func() { ConvShiftRows(make([]float32, 8), 4, 4, make([]float32, 8), 4, 3, 2, 0, 2, 0) },
		func() { ConvShiftRows(make([]float32, 8), 2, 4, make([]float32, 8), 4, 1, 2, 0, 2, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("ConvShiftRows accepted a bad geometry")
				}
			}()
			bad()
		}()
	}
}

// TestConvImplicitTaps checks that the checked-table entry gives the bits
// of ConvImplicit and panics on offsets past the end of b.
func TestConvImplicitTaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	ForEachImpl(func(impl string) {
		for _, n := range []int{1, 17, 50} {
			c := newCICase(rng, 5, n, 13)
			var taps ConvTaps
			taps.Set(c.offs)
			want := c.run(ConvImplicit)
			got := c.run(func(m, n int, w []float32, ldw int, b []float32, _ []int32, out []float32, ldc int) {
				ConvImplicitTaps(m, n, w, ldw, b, &taps, out, ldc)
			})
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s n=%d: element %d is %v, ConvImplicit gives %v", impl, n, i, got[i], want[i])
				}
			}
		}
	})
	var taps ConvTaps
	taps.Set([]int32{0, 13})
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for an offset past the end")
		}
	}()
	ConvImplicitTaps(1, 4, make([]float32, 2), 2, make([]float32, 16), &taps, make([]float32, 4), 4)
}

// TestConvImplicitBiasReLU checks that ConvImplicitTapsBiasReLU (the
// AVX-512 kernels apply the epilogue in registers, the others after) gives
// the bits of ConvImplicitTaps followed by AddScalar and Relu on each row,
// on every implementation, for every row count, the tails of both AVX-512
// step widths, with and without bias or ReLU, leaving the guard bands and
// the gaps between rows alone.
func TestConvImplicitBiasReLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var cases []*ciCase
	for m := 1; m <= ConvImplicitMaxM; m++ {
		for _, n := range []int{1, 15, 16, 17, 47, 48, 49, 63, 64, 65, 100, 130, 193} {
			cases = append(cases, newCICase(rng, m, n, 1+rng.IntN(40)))
		}
	}
	bias := randSlice(rng, ConvImplicitMaxM)
	bias[1] = float32(math.NaN())
	ForEachImpl(func(impl string) {
		for _, c := range cases {
			var taps ConvTaps
			taps.Set(c.offs)
			for mode := range 4 {
				var bs []float32
				if mode&1 != 0 {
					bs = bias
				}
				relu := mode&2 != 0
				want := c.run(func(m, n int, w []float32, ldw int, b []float32, _ []int32, out []float32, ldc int) {
					ConvImplicitTaps(m, n, w, ldw, b, &taps, out, ldc)
					for i := range m {
						row := out[i*ldc : i*ldc+n]
						if bs != nil {
							AddScalar(row, row, bs[i])
						}
						if relu {
							Relu(row, row)
						}
					}
				})
				got := c.run(func(m, n int, w []float32, ldw int, b []float32, _ []int32, out []float32, ldc int) {
					ConvImplicitTapsBiasReLU(m, n, w, ldw, b, &taps, out, ldc, bs, relu)
				})
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s m=%d n=%d bias=%v relu=%v: element %d is %v, want %v", impl, c.m, c.n, bs != nil, relu, i, got[i], want[i])
					}
				}
			}
		}
	})
}

// TestConvAddRowsResReLU checks that the fused compaction gives the bits
// of ConvAddRows, Add and Relu on each row, on every implementation, for
// every tail length, in place and not, with zeros of both signs and NaNs.
func TestConvAddRowsResReLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), -1, 1}
	ForEachImpl(func(impl string) {
		for w := 1; w <= 40; w++ {
			for _, inPlace := range []bool{false, true} {
				const rows, lds, ldd, ldr = 3, 45, 47, 43
				src := randSlice(rng, rows*lds)
				res := randSlice(rng, rows*ldr)
				for range 4 {
					src[rng.IntN(len(src))] = special[rng.IntN(len(special))]
					res[rng.IntN(len(res))] = special[rng.IntN(len(special))]
				}
				s := float32(rng.NormFloat64())
				want := randSlice(rng, 1+rows*ldd)[1:] // unaligned
				got := append([]float32(nil), want...)
				srcW, srcG, ld := src, src, lds
				if inPlace {
					copy(want, src[:min(len(src), len(want))])
					copy(got, want)
					srcW, srcG, ld = want, got, ldd
				}
				ConvAddRows(want, ldd, srcW, ld, w, rows, s)
				for r := range rows {
					row := want[r*ldd : r*ldd+w]
					Add(row, row, res[r*ldr:r*ldr+w])
					Relu(row, row)
				}
				ConvAddRowsResReLU(got, ldd, srcG, ld, w, rows, s, res, ldr)
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s w=%d in place %v: element %d is %v, want %v", impl, w, inPlace, i, got[i], want[i])
					}
				}
			}
		}
	})
}
