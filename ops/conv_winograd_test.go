package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// winoCases are 3×3 stride-1 convolutions for the Winograd path.
var winoCases = []implCase{
	{16, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1}, // ResNet-20 stage 1
	{32, 16, 16, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 2}, // stage 2
	{64, 8, 8, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 3},   // stage 3
	{16, 9, 11, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 2},  // odd output rows and columns, filter tail
	{17, 10, 13, 16, 3, 3, 1, 1, 0, 0, 1, 1, 1, 1}, // no padding
	{16, 7, 6, 18, 3, 3, 1, 1, 2, 2, 1, 1, 1, 2},   // padding 2
	{16, 8, 9, 16, 3, 3, 1, 1, 0, 1, 1, 1, 1, 1},   // padding 0 rows, 1 columns
	{16, 3, 3, 16, 3, 3, 1, 1, 0, 0, 1, 1, 1, 1},   // one output
	{16, 1, 1, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 2},   // one input
	{16, 4, 200, 24, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1}, // rows of 100 tiles
	{24, 37, 5, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},  // tall and narrow
	{16, 61, 79, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 2}, // bands of 4 tile rows, a short last one
}

// winoRun runs the convolution of p (Winograd weight u of shape
// (16, F, C)) on in (data, weight, bias) with threads goroutines.
func winoRun(t *testing.T, p *ConvolutionParam, in []*tensor.Tensor, threads int) *tensor.Tensor {
	t.Helper()
	shapes := []Shape{in[0].Shape(), in[1].Shape(), in[2].Shape()}
	out := make([]Shape, 1)
	if err := convolutionShape(p, shapes, out); err != nil {
		t.Fatal(err)
	}
	f, c := in[1].Dim(0), in[1].Dim(1)
	u, err := tensor.New(tensor.Float32, 16, f, c)
	if err != nil {
		t.Fatal(err)
	}
	ConvWinogradWeights(u.Float32s(), in[1].Float32s(), f, c)
	pw := p.WithWinogradWeight()
	wshapes := []Shape{shapes[0], u.Shape(), shapes[2]}
	y, err := tensor.New(tensor.Float32, out[0]...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := &Ctx{Threads: threads, Scratch: make([]float32, convWorkspace(pw, wshapes)*convShares(pw, wshapes, threads))}
	for i := range ctx.Scratch {
		ctx.Scratch[i] = float32(math.NaN()) // a previous layer's data
	}
	if err := convolutionForward(ctx, pw, []*tensor.Tensor{in[0], u, in[2]}, []*tensor.Tensor{y}); err != nil {
		t.Fatal(err)
	}
	return y
}

// TestConvWinograd checks the Winograd path against a float64 direct
// convolution (within 1e-5 of the sum of magnitudes, as the direct path),
// and that each sample's bits do not depend on the batch, its position,
// the thread count (1, 2, 3) or the SIMD implementation (avx2 and avx512:
// the transforms are exact adds in one order, the products one FMA chain
// per element; generic's products round each multiply).
func TestConvWinograd(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for _, c := range winoCases {
		p, err := parseConvolution(c.attrs())
		if err != nil {
			t.Fatal(err)
		}
		cp := p.(*ConvolutionParam)
		in := c.tensors(r, c.batch)
		if !ConvWinograd(cp, in[1].Shape()) {
			t.Fatalf("%+v: not a Winograd convolution", c)
		}
		want := implRef(c, c.batch, in[0].Float32s(), in[1].Float32s(), in[2].Float32s())
		per := len(want) / c.batch
		refs := map[string][]float32{} // by implementation, avx2 and avx512 together
		asm.ForEachImpl(func(impl string) {
			key := impl
			if impl == asm.AVX2 || impl == asm.AVX512 {
				key = "simd"
			}
			for _, threads := range []int{1, 2, 3} {
				what := fmt.Sprintf("%+v impl=%s threads=%d", c, impl, threads)
				got := winoRun(t, cp, in, threads).Float32s()
				for i := range want {
					if d := math.Abs(float64(got[i]) - want[i]); !(d <= 1e-5*(1+math.Abs(want[i]))*math.Sqrt(float64(9*c.c))) {
						t.Fatalf("%s: element %d is %v, want %v", what, i, got[i], want[i])
					}
				}
				if refs[key] == nil {
					refs[key] = got
				}
				ref := refs[key]
				if !slices.EqualFunc(got, ref, func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }) {
					t.Fatalf("%s: bits differ from the first run", what)
				}
				for n := range c.batch {
					xs := in[0].Float32s()[n*len(in[0].Float32s())/c.batch : (n+1)*len(in[0].Float32s())/c.batch]
					shape := slices.Clone(in[0].Shape())
					shape[0] = 1
					x1, err := tensor.FromSlice(slices.Clone(xs), shape...)
					if err != nil {
						t.Fatal(err)
					}
					one := winoRun(t, cp, []*tensor.Tensor{x1, in[1], in[2]}, threads).Float32s()
					for i, v := range one {
						if math.Float32bits(v) != math.Float32bits(ref[n*per+i]) {
							t.Fatalf("%s sample %d: element %d is %v alone, %v in the batch", what, n, i, v, ref[n*per+i])
						}
					}
				}
			}
		})
	}
}

// TestConvWinogradEligible pins which convolutions take the Winograd path.
func TestConvWinogradEligible(t *testing.T) {
	for _, tc := range []struct {
		attrs map[string]string
		w     Shape
		want  bool
	}{
		{map[string]string{"kernel": "(3,3)", "pad": "(1,1)", "num_filter": "16"}, Shape{16, 16, 3, 3}, true},
		{map[string]string{"kernel": "(3,3)", "num_filter": "64"}, Shape{64, 32, 3, 3}, true},
		{map[string]string{"kernel": "(3,3)", "stride": "(2,2)", "pad": "(1,1)", "num_filter": "32"}, Shape{32, 16, 3, 3}, false},
		{map[string]string{"kernel": "(3,3)", "dilate": "(2,2)", "num_filter": "32"}, Shape{32, 16, 3, 3}, false},
		{map[string]string{"kernel": "(3,3)", "num_group": "2", "num_filter": "32"}, Shape{32, 16, 3, 3}, false},
		{map[string]string{"kernel": "(3,3)", "num_filter": "16"}, Shape{16, 8, 3, 3}, false},
		{map[string]string{"kernel": "(3,3)", "num_filter": "8"}, Shape{8, 16, 3, 3}, false},
		{map[string]string{"kernel": "(3,3)", "num_filter": "16"}, Shape{16, 10, 3, 3}, false},
		{map[string]string{"kernel": "(5,5)", "num_filter": "16"}, Shape{16, 16, 5, 5}, false},
		{map[string]string{"kernel": "(3,)", "num_filter": "16"}, Shape{16, 16, 3}, false},
		{map[string]string{"kernel": "(3,3)", "num_filter": "16", "layout": "NHWC"}, Shape{16, 16, 3, 3}, false},
	} {
		p, err := parseConvolution(tc.attrs)
		if err != nil {
			t.Fatal(err)
		}
		if got := ConvWinograd(p, tc.w); got != tc.want {
			t.Errorf("%v %v: ConvWinograd = %v, want %v", tc.attrs, tc.w, got, tc.want)
		}
	}
}

// TestConvWinogradOffsetsBound checks that a layer whose V or M rows would
// need tap offsets past int32 gets no scratch size (the executor then
// refuses the plan) rather than wrapped offsets.
func TestConvWinogradOffsetsBound(t *testing.T) {
	for _, tc := range []struct {
		c, f, hw int
		ok       bool
	}{{64, 64, 32, true}, {1 << 20, 16, 64, true}, {1 << 22, 16, 64, false}, {16, 1 << 22, 64, false}} {
		g := convDims{n: 1, c: tc.c, f: tc.f, groups: 1, in: [3]int{1, tc.hw, tc.hw}, out: [3]int{1, tc.hw, tc.hw},
			k: [3]int{1, 3, 3}, s: [3]int{1, 1, 1}, p: [3]int{0, 1, 1}, d: [3]int{1, 1, 1}}
		var wg winoGeom
		g.winoGeomOf(&wg)
		if got := wg.size != math.MaxInt; got != tc.ok {
			t.Errorf("c=%d f=%d %d×%d: scratch %d, want ok=%v", tc.c, tc.f, tc.hw, tc.hw, wg.size, tc.ok)
		}
	}
}
