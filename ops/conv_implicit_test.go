package ops

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// implCase is a 1-D (h = 0) or 2-D convolution for the implicit path.
type implCase struct {
	c, h, w, f     int
	kh, kw, sh, sw int
	ph, pw, dh, dw int
	groups, batch  int
}

var implCases = []implCase{
	{16, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1}, // ResNet-20 stride 1
	{16, 32, 32, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}, // ResNet-20 stride 2
	{16, 32, 32, 32, 1, 1, 2, 2, 0, 0, 1, 1, 1, 1}, // 1×1 stride 2 (one phase)
	{3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 2},  // ResNet-20 conv0
	{64, 8, 8, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 3},   // 8×8, many filter blocks
	{5, 9, 11, 13, 3, 3, 1, 1, 1, 1, 1, 1, 1, 2},   // odd sizes, filter tail
	{4, 13, 17, 7, 3, 3, 2, 2, 1, 1, 1, 1, 1, 2},   // odd stride 2
	{3, 15, 14, 9, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1},   // stride 3
	{3, 23, 21, 5, 7, 7, 2, 2, 3, 3, 1, 1, 1, 1},   // 7×7 stride 2
	{4, 10, 12, 6, 3, 3, 1, 1, 2, 2, 2, 2, 1, 2},   // dilation 2
	{4, 17, 16, 6, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1},   // dilation 2, stride 2
	{3, 11, 9, 5, 2, 4, 1, 2, 0, 3, 1, 1, 1, 1},    // asymmetric kernel and stride, pad > kernel/2
	{4, 8, 9, 2, 1, 3, 2, 1, 0, 1, 1, 3, 1, 1},     // 1×3 with column dilation
	{6, 10, 10, 9, 3, 3, 1, 1, 1, 1, 1, 1, 3, 2},   // groups
	{8, 12, 12, 12, 3, 3, 2, 2, 1, 1, 1, 1, 2, 1},  // groups, stride 2
	{3, 0, 50, 17, 5, 5, 1, 1, 2, 2, 1, 1, 1, 2},   // 1-D
	{4, 0, 41, 6, 3, 3, 2, 2, 1, 1, 2, 2, 1, 1},    // 1-D stride 2, dilation 2
	{2, 3, 3, 3, 3, 3, 1, 1, 0, 0, 1, 1, 1, 1},     // one output
	{8, 4, 1200, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},  // rows wider than a tile
	{2, 3, 4, 1, 3, 3, 1, 1, 4, 4, 1, 1, 1, 1},     // padding wider than the input
	{8, 40, 40, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},  // several row tiles
	{8, 40, 40, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 4},  // batch split
	{4, 7, 12, 5, 3, 3, 1, 2, 1, 1, 1, 1, 1, 2},    // column stride 2 only, even width
	{2, 3, 4, 3, 1, 1, 2, 2, 3, 3, 1, 1, 1, 1},     // 1×1 stride 2, padding wider than the input
	{3, 6, 8, 4, 1, 3, 2, 2, 0, 2, 1, 1, 1, 2},     // stride 2, both column phases, padding 2
	// Stride 2 on odd widths and heights (LFFD's 3×3 stride-2 pad-0
	// layers on 239×319, 119×159, 59×79): the last column is even, so
	// it goes to the even column phase (column phase 0 with even
	// padding, phase 1 with odd padding).
	{3, 15, 19, 5, 3, 3, 2, 2, 0, 0, 1, 1, 1, 2},  // odd height and width, padding 0
	{3, 15, 19, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},  // odd height and width, padding 1
	{3, 14, 21, 5, 3, 3, 2, 2, 0, 0, 1, 1, 1, 1},  // odd width only, padding 0
	{3, 15, 20, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},  // odd height only, padding 1
	{3, 11, 27, 4, 3, 3, 2, 2, 0, 1, 1, 1, 1, 1},  // odd width, padding 0 rows, 1 columns
	{2, 9, 23, 3, 3, 3, 2, 2, 3, 3, 1, 1, 1, 1},   // odd width, padding 3 (odd: the last column to phase 1)
	{4, 9, 11, 6, 1, 1, 2, 2, 0, 0, 1, 1, 1, 1},   // 1×1 stride 2, odd width (the odd phase unread)
	{4, 9, 11, 6, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1},   // 1×1 stride 2, odd width, padding 1 (the even phase unread)
	{3, 10, 13, 5, 2, 2, 2, 2, 0, 0, 1, 1, 1, 1},  // 2×2 stride 2, odd width: the last column unread
	{4, 7, 13, 5, 3, 3, 1, 2, 1, 1, 1, 1, 1, 2},   // column stride 2 only, odd width
	{3, 13, 17, 4, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1},  // odd width, dilation 2
	{4, 0, 45, 6, 3, 3, 2, 2, 0, 0, 1, 1, 1, 1},   // 1-D stride 2, odd width
	{8, 13, 15, 8, 3, 3, 2, 2, 1, 1, 1, 1, 2, 1},  // odd width, groups
	{3, 61, 201, 6, 3, 3, 2, 2, 0, 0, 1, 1, 1, 2}, // odd, several row tiles built lazily
	{2, 45, 159, 3, 5, 5, 2, 2, 1, 1, 2, 2, 1, 1}, // odd, tiles reading 4 phase rows past their last row
	// First layers (3 input channels) whose output rows are written in
	// place (implGeom.rows): RetinaFace's conv0 (stride 2, pad 1), LFFD's
	// conv1 (stride 2, pad 0, two tall row tiles) and gender-age's
	// conv_1 (stride 1, shared padding), narrower; 8 filters in one
	// 8-row block on 64-wide rows.
	{3, 20, 128, 8, 3, 3, 2, 2, 1, 1, 1, 1, 1, 2},
	{3, 199, 129, 32, 3, 3, 2, 2, 0, 0, 1, 1, 1, 1},
	{3, 16, 32, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 2},
}

func (c implCase) attrs() map[string]string {
	if c.h == 0 {
		return map[string]string{"kernel": fmt.Sprintf("(%d,)", c.kw), "stride": fmt.Sprintf("(%d,)", c.sw),
			"pad": fmt.Sprintf("(%d,)", c.pw), "dilate": fmt.Sprintf("(%d,)", c.dw),
			"num_filter": fmt.Sprint(c.f), "num_group": fmt.Sprint(c.groups)}
	}
	return map[string]string{"kernel": fmt.Sprintf("(%d,%d)", c.kh, c.kw), "stride": fmt.Sprintf("(%d,%d)", c.sh, c.sw),
		"pad": fmt.Sprintf("(%d,%d)", c.ph, c.pw), "dilate": fmt.Sprintf("(%d,%d)", c.dh, c.dw),
		"num_filter": fmt.Sprint(c.f), "num_group": fmt.Sprint(c.groups)}
}

// dims returns the 2-D view (h = 1 and a 1-row kernel for 1-D).
func (c implCase) dims() (h, kh, sh, ph, dh, oh, ow int) {
	h, kh, sh, ph, dh = c.h, c.kh, c.sh, c.ph, c.dh
	if c.h == 0 {
		h, kh, sh, ph, dh = 1, 1, 1, 0, 1
	}
	oh = (h+2*ph-dh*(kh-1)-1)/sh + 1
	ow = (c.w+2*c.pw-c.dw*(c.kw-1)-1)/c.sw + 1
	return
}

// tensors returns random data, weight and bias of the case.
func (c implCase) tensors(r *rand.Rand, batch int) []*tensor.Tensor {
	if c.h == 0 {
		return []*tensor.Tensor{engineRand(r, batch, c.c, c.w), engineRand(r, c.f, c.c/c.groups, c.kw), engineRand(r, c.f)}
	}
	return []*tensor.Tensor{engineRand(r, batch, c.c, c.h, c.w), engineRand(r, c.f, c.c/c.groups, c.kh, c.kw), engineRand(r, c.f)}
}

// implRef is a float64 direct convolution of the case.
func implRef(c implCase, batch int, x, w, b []float32) []float64 {
	h, kh, sh, ph, dh, oh, ow := c.dims()
	cg, fg := c.c/c.groups, c.f/c.groups
	y := make([]float64, batch*c.f*oh*ow)
	for n := range batch {
		for f := range c.f {
			g := f / fg
			for i := range oh {
				for j := range ow {
					s := float64(b[f])
					for ci := range cg {
						for ki := range kh {
							for kj := range c.kw {
								ih, iw := i*sh-ph+ki*dh, j*c.sw-c.pw+kj*c.dw
								if ih < 0 || ih >= h || iw < 0 || iw >= c.w {
									continue
								}
								s += float64(w[((f*cg+ci)*kh+ki)*c.kw+kj]) * float64(x[((n*c.c+g*cg+ci)*h+ih)*c.w+iw])
							}
						}
					}
					y[((n*c.f+f)*oh+i)*ow+j] = s
				}
			}
		}
	}
	return y
}

// TestConvImplicit checks the implicit path on strides, dilations,
// padding, groups, 1-D, filter and position tails against a float64
// direct convolution, and that each sample's bits do not depend on the
// batch, its position or the thread count (1, 2, 3), and (with the first
// result as the reference) are the same under avx2 and avx512 and with
// every stride-1 plane layout (padded, shared padding, shifted columns).
func TestConvImplicit(t *testing.T) {
	defer func() { implShift, implSharedOff, implRows = 0, false, 0 }()
	r := rand.New(rand.NewPCG(11, 12))
	for _, c := range implCases {
		p, err := parseConvolution(c.attrs())
		if err != nil {
			t.Fatal(err)
		}
		in := c.tensors(r, c.batch)
		want := implRef(c, c.batch, in[0].Float32s(), in[1].Float32s(), in[2].Float32s())
		ref := map[string][]float32{} // the first result by implementation (avx2 and avx512 together)
		for layout := range 7 {
			// 0: by geometry, 1: shared padding, 2: shifted columns,
			// 3: full padded rows; 4-6: 0, 1 and 3 with output rows
			// written in place wherever there are junk columns.
			implShift, implSharedOff = []int{0, 1, 2, 1, 0, 1, 1}[layout], layout == 3 || layout == 6
			implRows = 1
			if layout >= 4 {
				implRows = 2
			}
			implLayout(t, c, p.(*ConvolutionParam), in, want, ref)
		}
	}
}

// implLayout runs TestConvImplicit's case c under every implementation
// and thread count; ref holds each implementation's first result (one for
// avx2 and avx512), which every other run and layout must match bit for bit.
func implLayout(t *testing.T, c implCase, p *ConvolutionParam, in []*tensor.Tensor, want []float64, ref map[string][]float32) {
	batch := c.batch
	per := len(want) / batch
	asm.ForEachImpl(func(impl string) {
		var first []float32
		g, ok := convDimsOf(p, []Shape{in[0].Shape(), in[1].Shape(), in[2].Shape()})
		if !ok {
			t.Fatalf("%+v: bad geometry", c)
		}
		if !g.implicit() {
			t.Fatalf("%+v shift=%d noshare=%v rows=%d impl=%s: not on the implicit path", c, implShift, implSharedOff, implRows, impl)
		}
		for _, threads := range []int{1, 2, 3} {
			got := engineRun(t, p, in, threads).Float32s()
			for i := range want {
				if d := math.Abs(float64(got[i]) - want[i]); !(d <= 1e-5*(1+math.Abs(want[i]))*math.Sqrt(float64(len(in[1].Float32s())/c.f))) { // NaN fails
					t.Fatalf("%+v shift=%d noshare=%v rows=%d impl=%s threads=%d: element %d is %v, want %v", c, implShift, implSharedOff, implRows, impl, threads, i, got[i], want[i])
				}
			}
			if first == nil {
				key := impl
				if impl == asm.AVX2 || impl == asm.AVX512 {
					key = "simd"
				}
				if ref[key] == nil {
					ref[key] = got
				}
				first = ref[key]
			}
			if !slices.EqualFunc(got, first, func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }) {
				t.Fatalf("%+v shift=%d noshare=%v rows=%d impl=%s threads=%d: bits differ from the first run (or the other SIMD kernels')", c, implShift, implSharedOff, implRows, impl, threads)
			}
			// Each sample alone.
			for n := range batch {
				xs := in[0].Float32s()[n*len(in[0].Float32s())/batch : (n+1)*len(in[0].Float32s())/batch]
				shape := slices.Clone(in[0].Shape())
				shape[0] = 1
				x1, err := tensor.FromSlice(slices.Clone(xs), shape...)
				if err != nil {
					t.Fatal(err)
				}
				one := engineRun(t, p, []*tensor.Tensor{x1, in[1], in[2]}, threads).Float32s()
				for i, v := range one {
					if math.Float32bits(v) != math.Float32bits(first[n*per+i]) {
						t.Fatalf("%+v shift=%d noshare=%v rows=%d impl=%s threads=%d sample %d: element %d is %v alone, %v in the batch", c, implShift, implSharedOff, implRows, impl, threads, n, i, v, first[n*per+i])
					}
				}
			}
		}
	})
}

// TestConvImplicitCancel checks that a cancelled large convolution on the
// implicit path returns the context's error promptly, with 1 and 2
// threads (the bound is 10 ms; the assertion allows for a loaded machine).
func TestConvImplicitCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test (-short: race, qemu)")
	}
	c := implCase{256, 96, 96, 256, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1}
	p, err := parseConvolution(c.attrs())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(13, 14))
	in := c.tensors(r, 1)
	g, _ := convDimsOf(p.(*ConvolutionParam), []Shape{in[0].Shape(), in[1].Shape(), in[2].Shape()})
	if !g.implicit() {
		t.Skip("not on the implicit path with the selected kernels")
	}
	shapes := []Shape{in[0].Shape(), in[1].Shape(), in[2].Shape()}
	y, err := tensor.New(tensor.Float32, 1, c.f, 96, 96)
	if err != nil {
		t.Fatal(err)
	}
	for _, threads := range []int{1, 2} {
		ctx, cancel := context.WithCancel(context.Background())
		octx := &Ctx{Threads: threads, Context: ctx, Scratch: make([]float32, convWorkspace(p, shapes)*convShares(p, shapes, threads))}
		var cancelled atomic.Int64
		time.AfterFunc(20*time.Millisecond, func() { cancelled.Store(time.Now().UnixNano()); cancel() })
		err := convolutionForward(octx, p, in, []*tensor.Tensor{y})
		done := time.Now().UnixNano()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("threads=%d: got %v, want context.Canceled (a 2·%d·%d·%d FLOP convolution finished before 20 ms?)", threads, err, c.f, c.c*9, 96*96)
		}
		lag := time.Duration(done - cancelled.Load())
		t.Logf("threads=%d: cancellation latency %v", threads, lag)
		if lag > 100*time.Millisecond {
			t.Errorf("threads=%d: returned %v after the cancellation", threads, lag)
		}
		cancel()
	}
}
