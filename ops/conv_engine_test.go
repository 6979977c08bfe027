package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// engineCase is a convolution geometry for the engine tests.
type engineCase struct {
	c, h, w, f, k, s, pad, groups int
}

var engineCases = []engineCase{
	{16, 12, 12, 16, 3, 1, 1, 16}, // depthwise 3×3 stride 1
	{8, 13, 21, 16, 3, 2, 1, 8},   // depthwise 3×3 stride 2, multiplier 2
	{6, 9, 10, 5, 3, 1, 1, 1},     // dense 3×3
	{6, 9, 10, 7, 3, 2, 1, 1},     // dense 3×3 stride 2
	{12, 7, 7, 9, 1, 1, 0, 1},     // pointwise
	{6, 8, 8, 6, 5, 1, 2, 6},      // depthwise 5×5 (generic direct loop)
	{32, 28, 30, 32, 3, 1, 1, 32}, // depthwise 3×3 large enough to split batch 1 over threads
	{64, 33, 33, 64, 3, 2, 1, 64}, // the same with stride 2
}

func engineRand(r *rand.Rand, shape ...int) *tensor.Tensor {
	t, err := tensor.New(tensor.Float32, shape...)
	if err != nil {
		panic(err)
	}
	for i := range t.Float32s() {
		t.Float32s()[i] = r.Float32()*2 - 1
	}
	return t
}

// engineRun runs Convolution with p on in using threads goroutines.
func engineRun(t *testing.T, p *ConvolutionParam, in []*tensor.Tensor, threads int) *tensor.Tensor {
	t.Helper()
	shapes := make([]Shape, len(in))
	for i, x := range in {
		shapes[i] = x.Shape()
	}
	out := make([]Shape, 1)
	if err := convolutionShape(p, shapes, out); err != nil {
		t.Fatal(err)
	}
	y, err := tensor.New(tensor.Float32, out[0]...)
	if err != nil {
		t.Fatal(err)
	}
	// Scratch is reused between layers: NaNs stand for a previous
	// layer's data, which no path may read.
	ctx := &Ctx{Threads: threads, Scratch: make([]float32, convWorkspace(p, shapes)*convShares(p, shapes, threads))}
	for i := range ctx.Scratch {
		ctx.Scratch[i] = float32(math.NaN())
	}
	if err := convolutionForward(ctx, p, in, []*tensor.Tensor{y}); err != nil {
		t.Fatal(err)
	}
	return y
}

func engineParams(t testing.TB, c engineCase) *ConvolutionParam {
	t.Helper()
	p, err := parseConvolution(map[string]string{
		"kernel": fmt.Sprintf("(%d,%d)", c.k, c.k), "stride": fmt.Sprintf("(%d,%d)", c.s, c.s),
		"pad": fmt.Sprintf("(%d,%d)", c.pad, c.pad), "num_filter": fmt.Sprint(c.f), "num_group": fmt.Sprint(c.groups)})
	if err != nil {
		t.Fatal(err)
	}
	return p.(*ConvolutionParam)
}

// TestConvBatchThreadInvariant checks that a sample's output is
// bit-identical whether it runs alone or at any position of a batch, with
// one thread or two, under every implementation.
func TestConvBatchThreadInvariant(t *testing.T) {
	const batch = 5
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range engineCases {
		p := engineParams(t, c)
		x := engineRand(r, batch, c.c, c.h, c.w)
		w := engineRand(r, c.f, c.c/c.groups, c.k, c.k)
		b := engineRand(r, c.f)
		asm.ForEachImpl(func(impl string) {
			full := map[int]*tensor.Tensor{}
			for _, threads := range []int{1, 2} {
				full[threads] = engineRun(t, p, []*tensor.Tensor{x, w, b}, threads)
			}
			per := full[1].Len() / batch
			for n := range batch {
				xs, err := tensor.FromSlice(append([]float32(nil), x.Float32s()[n*c.c*c.h*c.w:(n+1)*c.c*c.h*c.w]...), 1, c.c, c.h, c.w)
				if err != nil {
					t.Fatal(err)
				}
				for _, threads := range []int{1, 2} {
					one := engineRun(t, p, []*tensor.Tensor{xs, w, b}, threads).Float32s()
					for _, fb := range full {
						for i, v := range fb.Float32s()[n*per : (n+1)*per] {
							if math.Float32bits(v) != math.Float32bits(one[i]) {
								t.Fatalf("%+v impl=%s sample %d threads %d: element %d is %v in the batch, %v alone",
									c, impl, n, threads, i, v, one[i])
							}
						}
					}
				}
			}
		})
	}
}

// TestConvEpilogue checks the fused epilogue (scale/shift, residual, each
// activation) against a float64 direct convolution followed by the same
// transforms, under every implementation and thread count.
func TestConvEpilogue(t *testing.T) {
	defer func() { implRows = 0 }()
	r := rand.New(rand.NewPCG(9, 10))
	acts := []convEpilogue{
		{ScaleShift: true, Residual: true, Act: epiReLU},
		{ScaleShift: true, Act: epiClip, Lo: 0, Hi: 0.5},
		{Residual: true, Act: epiLeaky, Slope: 0.1},
		{Act: epiSigmoid},
		{ScaleShift: true, Residual: true},
	}
	for _, c := range engineCases {
		for ei := range acts {
			e := acts[ei]
			p := *engineParams(t, c)
			p.epilogue = &e
			const batch = 2
			x := engineRand(r, batch, c.c, c.h, c.w)
			w := engineRand(r, c.f, c.c/c.groups, c.k, c.k)
			b := engineRand(r, c.f)
			in := []*tensor.Tensor{x, w, b}
			oh, ow := (c.h+2*c.pad-c.k)/c.s+1, (c.w+2*c.pad-c.k)/c.s+1
			scale, shift := engineRand(r, c.f), engineRand(r, c.f)
			res := engineRand(r, batch, c.f, oh, ow)
			if e.ScaleShift {
				in = append(in, scale, shift)
			}
			if e.Residual {
				in = append(in, res)
			}
			want := engineRef(c, batch, x.Float32s(), w.Float32s(), b.Float32s(), oh, ow)
			for i := range want {
				f := i / (oh * ow) % c.f
				if e.ScaleShift {
					want[i] = float64(scale.Float32s()[f])*want[i] + float64(shift.Float32s()[f])
				}
				if e.Residual {
					want[i] += float64(res.Float32s()[i])
				}
				switch e.Act {
				case epiReLU:
					want[i] = math.Max(want[i], 0)
				case epiClip:
					want[i] = math.Min(math.Max(want[i], float64(e.Lo)), float64(e.Hi))
				case epiLeaky:
					if want[i] < 0 {
						want[i] *= float64(e.Slope)
					}
				case epiSigmoid:
					want[i] = 1 / (1 + math.Exp(-want[i]))
				}
			}
			// Junk-column layouts compacted from a wide tile (rows 1) and
			// written in place a row at a time (rows 2).
			for _, rows := range []int{1, 2} {
				implRows = rows
				asm.ForEachImpl(func(impl string) {
					for _, threads := range []int{1, 2} {
						got := engineRun(t, &p, in, threads).Float32s()
						for i := range want {
							if d := math.Abs(float64(got[i]) - want[i]); !(d <= 1e-4*(1+math.Abs(want[i]))) { // NaN fails
								t.Fatalf("%+v %+v rows=%d impl=%s threads=%d: element %d is %v, want %v", c, e, rows, impl, threads, i, got[i], want[i])
							}
						}
					}
				})
			}
			implRows = 0
		}
	}
}

// engineRef is a float64 direct 2-D convolution with groups and bias.
func engineRef(c engineCase, batch int, x, w, b []float32, oh, ow int) []float64 {
	cg, fg := c.c/c.groups, c.f/c.groups
	y := make([]float64, batch*c.f*oh*ow)
	for n := range batch {
		for f := range c.f {
			g := f / fg
			for i := range oh {
				for j := range ow {
					s := float64(b[f])
					for ci := range cg {
						ch := g*cg + ci
						for ki := range c.k {
							for kj := range c.k {
								ih, iw := i*c.s-c.pad+ki, j*c.s-c.pad+kj
								if ih < 0 || ih >= c.h || iw < 0 || iw >= c.w {
									continue
								}
								s += float64(w[((f*cg+ci)*c.k+ki)*c.k+kj]) * float64(x[((n*c.c+ch)*c.h+ih)*c.w+iw])
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

// TestConvEpilogueMeta checks a fused Convolution's input names and shape
// inference: scale and shift get (num_filter,), the residual the output's
// shape, a mismatching residual and inverted clip bounds are errors.
func TestConvEpilogueMeta(t *testing.T) {
	op, ok := Lookup("Convolution")
	if !ok {
		t.Fatal("no Convolution")
	}
	p := *engineParams(t, engineCase{4, 8, 8, 6, 3, 2, 1, 1})
	p.epilogue = &convEpilogue{ScaleShift: true, Residual: true, Act: epiReLU}
	if got := fmt.Sprint(op.Inputs(&p)); got != "[data weight bias scale shift residual]" {
		t.Fatalf("inputs %s", got)
	}
	in := []Shape{{2, 4, 8, 8}, nil, nil, nil, nil, nil}
	out := []Shape{nil}
	if err := op.InferShape(&p, in, out); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(in[3:], out) != "[[6] [6] [2 6 4 4]] [[2 6 4 4]]" {
		t.Fatalf("shapes %v -> %v", in, out)
	}
	in = []Shape{{2, 4, 8, 8}, nil, nil, nil, nil, {2, 6, 4, 5}}
	if err := op.InferShape(&p, in, []Shape{nil}); err == nil {
		t.Fatal("a residual of the wrong shape was accepted")
	}
	p.epilogue = &convEpilogue{Act: epiClip, Lo: 6, Hi: 0}
	if err := op.InferShape(&p, []Shape{{2, 4, 8, 8}, nil, nil}, []Shape{nil}); err == nil {
		t.Fatal("clip bounds 6 > 0 were accepted")
	}
}
