package ops_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// epiRef applies an epilogue to a float64 value: residual, then activation.
func epiRef(v float64, res *float64, e ops.Epilogue) float64 {
	if res != nil {
		v += *res
	}
	switch e.Act {
	case ops.EpilogueReLU:
		v = math.Max(v, 0)
	case ops.EpilogueSigmoid:
		v = 1 / (1 + math.Exp(-v))
	case ops.EpilogueTanh:
		v = math.Tanh(v)
	case ops.EpilogueClip:
		v = math.Min(math.Max(v, float64(e.Lo)), float64(e.Hi))
	case ops.EpilogueLeaky:
		if v < 0 {
			v *= float64(e.Slope)
		}
	}
	return v
}

var testEpilogues = []ops.Epilogue{
	{},
	{Act: ops.EpilogueReLU},
	{Residual: true},
	{Residual: true, Act: ops.EpilogueReLU},
	{Act: ops.EpilogueSigmoid},
	{Act: ops.EpilogueTanh, Residual: true},
	{Act: ops.EpilogueClip, Lo: 0, Hi: 0.5},
	{Act: ops.EpilogueLeaky, Slope: 0.1, Residual: true},
}

func runFused(t *testing.T, base string, params any, epi ops.Epilogue, in []*tensor.Tensor, outShape []int) *tensor.Tensor {
	t.Helper()
	bop, _ := ops.Lookup(base)
	op, fp, err := ops.NewFused(bop, params, epi)
	if err != nil {
		t.Fatal(err)
	}
	shapes := make([]ops.Shape, len(in))
	for i, x := range in {
		shapes[i] = x.Shape()
	}
	if names := op.Inputs(fp); len(names) != len(in) {
		t.Fatalf("fused op takes %v, given %d inputs", names, len(in))
	}
	out := []ops.Shape{nil}
	if err := op.InferShape(fp, shapes, out); err != nil || !equalInts(out[0], outShape) {
		t.Fatalf("InferShape: %v, %v (want %v)", out[0], err, outShape)
	}
	y, _ := tensor.New(tensor.Float32, outShape...)
	threads := 2
	ws := 0
	if op.Workspace != nil {
		ws = op.Workspace(fp, shapes) * op.WorkspaceShares(fp, shapes, threads)
	}
	ctx := &ops.Ctx{Threads: threads, Scratch: make([]float32, ws)}
	if err := op.Forward(ctx, fp, in, []*tensor.Tensor{y}); err != nil {
		t.Fatal(err)
	}
	return y
}

func equalInts(a, b []int) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

// TestFusedFullyConnected checks the fused FullyConnected (bias, residual
// and activation in one pass per row) against a float64 reference, for
// row lengths around the vector widths, with and without bias.
func TestFusedFullyConnected(t *testing.T) {
	for _, h := range []int{1, 7, 8, 16, 17, 33} {
		for _, noBias := range []bool{false, true} {
			for ei, epi := range testEpilogues {
				asmEach(t, func(impl string) {
					x, w := kaRand(uint64(h), 1, 3, 5), kaRand(uint64(h+1), 1, h, 5)
					in := []*tensor.Tensor{x, w}
					var b *tensor.Tensor
					if !noBias {
						b = kaRand(uint64(h+2), 1, h)
						in = append(in, b)
					}
					var res *tensor.Tensor
					if epi.Residual {
						res = kaRand(uint64(h+3), 1, 3, h)
						in = append(in, res)
					}
					p := &ops.FullyConnectedParam{NumHidden: h, NoBias: noBias, Flatten: true}
					y := runFused(t, "FullyConnected", p, epi, in, []int{3, h})
					want := fcRef(x, w, b, 3, h, 5)
					for i := range want {
						var r *float64
						if res != nil {
							v := res.Float64At(i)
							r = &v
						}
						want[i] = epiRef(want[i], r, epi)
					}
					kaCheck(t, fmt.Sprintf("%s h=%d noBias=%v epilogue %d", impl, h, noBias, ei), y, []int{3, h}, want, 1e-5, 1e-6)
				})
			}
		}
	}
}

// TestFusedConvolution checks the fused Convolution (per-channel bias,
// residual, activation per tile of output planes) against a float64
// reference: planes shorter than a vector, one tile, several tiles.
func TestFusedConvolution(t *testing.T) {
	for _, hw := range [][2]int{{6, 5}, {2, 2}, {40, 40}} {
		for _, noBias := range []bool{false, true} {
			for ei, epi := range testEpilogues {
				asmEach(t, func(impl string) {
					x, w := kaRand(1, 1, 2, 3, hw[0], hw[1]), kaRand(2, 1, 4, 3, 3, 3)
					in := []*tensor.Tensor{x, w}
					var b *tensor.Tensor
					if !noBias {
						b = kaRand(3, 1, 4)
						in = append(in, b)
					}
					shape, want := convRef(x, w, b, []int{1, 1}, []int{1, 1}, []int{1, 1}, 1)
					var res *tensor.Tensor
					if epi.Residual {
						res = kaRand(4, 1, shape...)
						in = append(in, res)
					}
					for i := range want {
						var r *float64
						if res != nil {
							v := res.Float64At(i)
							r = &v
						}
						want[i] = epiRef(want[i], r, epi)
					}
					attrs := map[string]string{"kernel": "(3, 3)", "pad": "(1, 1)", "num_filter": "4", "no_bias": fmt.Sprint(noBias)}
					cop, _ := ops.Lookup("Convolution")
					p, err := cop.Parse(attrs)
					if err != nil {
						t.Fatal(err)
					}
					y := runFused(t, "Convolution", p, epi, in, shape)
					kaCheck(t, fmt.Sprintf("%s %v noBias=%v epilogue %d", impl, hw, noBias, ei), y, shape, want, 1e-5, 1e-5)
				})
			}
		}
	}
}

// TestFusedConvolutionPReLU checks a convolution with a PReLU epilogue
// (a slope per output channel, or one for all, as the last input, after a
// residual) against a float64 convolution and PReLU, across the
// convolution's paths (small and large planes, with and without bias).
func TestFusedConvolutionPReLU(t *testing.T) {
	for _, hw := range [][2]int{{6, 5}, {40, 40}} {
		for _, residual := range []bool{false, true} {
			for _, slopes := range []int{4, 1} {
				asmEach(t, func(impl string) {
					x, w, b := kaRand(1, 1, 2, 3, hw[0], hw[1]), kaRand(2, 1, 4, 3, 3, 3), kaRand(3, 1, 4)
					gamma := kaRand(5, 1, slopes)
					in := []*tensor.Tensor{x, w, b}
					shape, want := convRef(x, w, b, []int{1, 1}, []int{1, 1}, []int{1, 1}, 1)
					if residual {
						res := kaRand(4, 1, shape...)
						in = append(in, res)
						for i := range want {
							want[i] += res.Float64At(i)
						}
					}
					in = append(in, gamma)
					plane := shape[2] * shape[3]
					for i, v := range want {
						if v <= 0 {
							want[i] = v * gamma.Float64At(i/plane%4%slopes)
						}
					}
					cop, _ := ops.Lookup("Convolution")
					p, err := cop.Parse(map[string]string{"kernel": "(3, 3)", "pad": "(1, 1)", "num_filter": "4"})
					if err != nil {
						t.Fatal(err)
					}
					y := runFused(t, "Convolution", p, ops.Epilogue{Residual: residual, Act: ops.EpiloguePReLU}, in, shape)
					kaCheck(t, fmt.Sprintf("%s %v residual=%v slopes=%d", impl, hw, residual, slopes), y, shape, want, 1e-5, 1e-5)
				})
			}
		}
	}
	fc, _ := ops.Lookup("FullyConnected")
	if _, _, err := ops.NewFused(fc, &ops.FullyConnectedParam{NumHidden: 2}, ops.Epilogue{Act: ops.EpiloguePReLU}); err == nil {
		t.Error("NewFused accepted PReLU after a fully-connected layer")
	}
}

// TestFusedErrors checks NewFused refuses what it cannot fuse and the
// kernel reports (does not panic on) a residual of the wrong size.
func TestFusedErrors(t *testing.T) {
	conv, _ := ops.Lookup("Convolution")
	fc, _ := ops.Lookup("FullyConnected")
	nhwc, err := conv.Parse(map[string]string{"kernel": "(1, 1)", "num_filter": "2", "layout": "NHWC"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		base   *ops.Op
		params any
		epi    ops.Epilogue
		want   string
	}{
		{conv, nhwc, ops.Epilogue{}, "channel-last"},
		{fc, &ops.FullyConnectedParam{NumHidden: 2}, ops.Epilogue{Act: ops.EpilogueClip, Lo: 1, Hi: 0}, "clip bounds"},
		{fc, &ops.FullyConnectedParam{NumHidden: 2}, ops.Epilogue{Act: 99}, "unknown activation"},
		{fc, &ops.ActivationParam{}, ops.Epilogue{}, "cannot fuse"},
		{conv, &ops.FullyConnectedParam{NumHidden: 2}, ops.Epilogue{}, "fully-connected params for op Convolution"},
	} {
		if _, _, err := ops.NewFused(c.base, c.params, c.epi); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewFused(%s, %T, %+v): %v, want an error about %q", c.base.Name, c.params, c.epi, err, c.want)
		}
	}
	op, fp, err := ops.NewFused(fc, &ops.FullyConnectedParam{NumHidden: 2, Flatten: true}, ops.Epilogue{Residual: true})
	if err != nil {
		t.Fatal(err)
	}
	if !ops.IsFused(op) || ops.IsFused(fc) {
		t.Error("IsFused")
	}
	if _, ok := ops.Lookup(op.Name); ok {
		t.Errorf("fused op %s is in the registry: a model file could name it", op.Name)
	}
	x, w, b, r := kaRand(1, 1, 3, 4), kaRand(2, 1, 2, 4), kaRand(3, 1, 2), kaRand(4, 1, 5)
	y, _ := tensor.New(tensor.Float32, 3, 2)
	err = op.Forward(&ops.Ctx{Threads: 1}, fp, []*tensor.Tensor{x, w, b, r}, []*tensor.Tensor{y})
	if err == nil || !strings.Contains(err.Error(), "residual") {
		t.Errorf("wrong-size residual: %v", err)
	}
}
