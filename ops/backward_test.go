package ops_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// randT returns a float32 tensor of uniform values in [lo, hi).
func randT(rng *rand.Rand, lo, hi float64, shape ...int) *tensor.Tensor {
	t, _ := tensor.New(tensor.Float32, shape...)
	d := t.Float32s()
	for i := range d {
		d[i] = float32(lo + (hi-lo)*rng.Float64())
	}
	return t
}

// awayFromZero moves values within m of 0 out to ±m, so kinks (relu) are
// not straddled by the finite difference.
func awayFromZero(t *tensor.Tensor, m float32) *tensor.Tensor {
	d := t.Float32s()
	for i, v := range d {
		if v >= 0 && v < m {
			d[i] = m + v
		} else if v < 0 && v > -m {
			d[i] = -m + v
		}
	}
	return t
}

func labelsT(rng *rand.Rand, classes int, shape ...int) *tensor.Tensor {
	t, _ := tensor.New(tensor.Float32, shape...)
	d := t.Float32s()
	for i := range d {
		d[i] = float32(rng.IntN(classes))
	}
	return t
}

func TestBackwardFullyConnected(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		attrs map[string]string
		in    []*tensor.Tensor
	}{
		{map[string]string{"num_hidden": "4"}, []*tensor.Tensor{randT(rng, -1, 1, 3, 5), randT(rng, -1, 1, 4, 5), randT(rng, -1, 1, 4)}},
		{map[string]string{"num_hidden": "3", "no_bias": "True"}, []*tensor.Tensor{randT(rng, -1, 1, 2, 2, 3), randT(rng, -1, 1, 3, 6)}},
		{map[string]string{"num_hidden": "3", "flatten": "False"}, []*tensor.Tensor{randT(rng, -1, 1, 2, 2, 3), randT(rng, -1, 1, 3, 3), randT(rng, -1, 1, 3)}},
	}
	for i, c := range cases {
		if err := opstest.CheckGrad("FullyConnected", c.attrs, c.in, &opstest.GradOptions{Seed: uint64(i)}); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
}

func TestBackwardActivation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, act := range []string{"relu", "sigmoid", "tanh", "softrelu", "softsign"} {
		x := awayFromZero(randT(rng, -2, 2, 3, 7), 0.01)
		if err := opstest.CheckGrad("Activation", map[string]string{"act_type": act}, []*tensor.Tensor{x}, nil); err != nil {
			t.Errorf("%s: %v", act, err)
		}
	}
}

func TestBackwardReshapeFlatten(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	if err := opstest.CheckGrad("Flatten", nil, []*tensor.Tensor{randT(rng, -1, 1, 2, 3, 2)}, nil); err != nil {
		t.Error(err)
	}
	if err := opstest.CheckGrad("Reshape", map[string]string{"shape": "(-1, 4)"}, []*tensor.Tensor{randT(rng, -1, 1, 2, 3, 2)}, nil); err != nil {
		t.Error(err)
	}
}

// softmaxCE is SoftmaxOutput's objective as MXNet's gradient implies it:
// −Σ target·log(softmax) over the class axis, scaled like the gradient.
func softmaxCE(n, c, inner int, scale float64, alpha float64, ignore float32, useIgnore bool) func(in, out []*tensor.Tensor) float64 {
	return func(in, out []*tensor.Tensor) float64 {
		y, l := out[0].Float32s(), in[1].Float32s()
		s := 0.0
		for b := range n {
			for q := range inner {
				lv := l[b*inner+q]
				if useIgnore && lv == ignore {
					continue
				}
				for j := range c {
					tgt := alpha / float64(c-1)
					if j == int(lv) {
						tgt = 1 - alpha
					}
					s -= tgt * math.Log(float64(y[(b*c+j)*inner+q]))
				}
			}
		}
		return s * scale
	}
}

func TestBackwardSoftmaxOutput(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x := randT(rng, -2, 2, 4, 5)
	l := labelsT(rng, 5, 4)
	l.Float32s()[2] = 3
	noGrad := []int{1}
	cases := []struct {
		name  string
		attrs map[string]string
		loss  func(in, out []*tensor.Tensor) float64
	}{
		{"plain", nil, softmaxCE(4, 5, 1, 1, 0, -1, false)},
		{"grad_scale batch", map[string]string{"grad_scale": "2", "normalization": "batch"}, softmaxCE(4, 5, 1, 2.0/4, 0, -1, false)},
		{"ignore valid", map[string]string{"use_ignore": "True", "ignore_label": "3", "normalization": "valid"}, softmaxCE(4, 5, 1, 1.0/3, 0, 3, true)},
		{"smooth", map[string]string{"smooth_alpha": "0.1"}, softmaxCE(4, 5, 1, 1, 0.1, -1, false)},
	}
	// exactly one label is 3 in the ignore case
	ld := l.Float32s()
	for i := range ld {
		if i != 2 && ld[i] == 3 {
			ld[i] = 1
		}
	}
	for _, c := range cases {
		if err := opstest.CheckGrad("SoftmaxOutput", c.attrs, []*tensor.Tensor{x, l}, &opstest.GradOptions{NoGrad: noGrad, Loss: c.loss}); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// multi_output: (N, C, W) with labels (N, W), batch normalization
	xm := randT(rng, -2, 2, 2, 3, 4)
	lm := labelsT(rng, 3, 2, 4)
	if err := opstest.CheckGrad("SoftmaxOutput", map[string]string{"multi_output": "True", "normalization": "batch"}, []*tensor.Tensor{xm, lm},
		&opstest.GradOptions{NoGrad: noGrad, Loss: softmaxCE(2, 3, 4, 1.0/2/4, 0, -1, false)}); err != nil {
		t.Errorf("multi_output: %v", err)
	}
	// out-of-range and NaN labels are errors
	bad := l.Clone()
	bad.Float32s()[0] = 5
	if err := opstest.CheckGrad("SoftmaxOutput", nil, []*tensor.Tensor{x, bad}, &opstest.GradOptions{NoGrad: noGrad, Loss: softmaxCE(4, 5, 1, 1, 0, -1, false)}); err == nil {
		t.Error("label 5 of 5 classes: no error")
	}
}

func TestBackwardRegression(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	x := randT(rng, -1, 1, 3, 2)
	l := randT(rng, 0, 1, 3, 2)
	scale := 3.0 / 2 // grad_scale 3 over 2 outputs per sample
	losses := map[string]func(in, out []*tensor.Tensor) float64{
		"LinearRegressionOutput": func(in, out []*tensor.Tensor) float64 {
			s := 0.0
			for i, y := range out[0].Float32s() {
				d := float64(y) - float64(in[1].Float32s()[i])
				s += d * d / 2
			}
			return s * scale
		},
		"MAERegressionOutput": func(in, out []*tensor.Tensor) float64 {
			s := 0.0
			for i, y := range out[0].Float32s() {
				s += math.Abs(float64(y) - float64(in[1].Float32s()[i]))
			}
			return s * scale
		},
		"LogisticRegressionOutput": func(in, out []*tensor.Tensor) float64 {
			s := 0.0
			for i, y := range out[0].Float32s() {
				lb := float64(in[1].Float32s()[i])
				s -= lb*math.Log(float64(y)) + (1-lb)*math.Log(1-float64(y))
			}
			return s * scale
		},
	}
	for name, loss := range losses {
		if err := opstest.CheckGrad(name, map[string]string{"grad_scale": "3"}, []*tensor.Tensor{x, l}, &opstest.GradOptions{NoGrad: []int{1}, Loss: loss}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBackwardMakeLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	x := randT(rng, -1, 1, 4, 3)
	for norm, div := range map[string]float64{"null": 1, "batch": 4} {
		loss := func(_, out []*tensor.Tensor) float64 {
			s := 0.0
			for _, v := range out[0].Float32s() {
				s += float64(v)
			}
			return s * 2 / div
		}
		if err := opstest.CheckGrad("MakeLoss", map[string]string{"grad_scale": "2", "normalization": norm}, []*tensor.Tensor{x}, &opstest.GradOptions{Loss: loss}); err != nil {
			t.Errorf("%s: %v", norm, err)
		}
	}
}

func TestBackwardConvolution(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	cases := []struct {
		name  string
		attrs map[string]string
		in    []*tensor.Tensor
	}{
		{"2d pad stride", map[string]string{"kernel": "(3, 3)", "num_filter": "3", "pad": "(1, 1)", "stride": "(2, 1)"},
			[]*tensor.Tensor{randT(rng, -1, 1, 2, 2, 5, 4), randT(rng, -1, 1, 3, 2, 3, 3), randT(rng, -1, 1, 3)}},
		{"2d groups dilate", map[string]string{"kernel": "(2, 2)", "num_filter": "4", "num_group": "2", "dilate": "(2, 1)", "no_bias": "True"},
			[]*tensor.Tensor{randT(rng, -1, 1, 1, 4, 5, 4), randT(rng, -1, 1, 4, 2, 2, 2)}},
		{"1d", map[string]string{"kernel": "(3,)", "num_filter": "2", "pad": "(2,)"},
			[]*tensor.Tensor{randT(rng, -1, 1, 2, 3, 5), randT(rng, -1, 1, 2, 3, 3), randT(rng, -1, 1, 2)}},
		{"depthwise", map[string]string{"kernel": "(3, 3)", "num_filter": "2", "num_group": "2", "pad": "(1, 1)"},
			[]*tensor.Tensor{randT(rng, -1, 1, 1, 2, 4, 4), randT(rng, -1, 1, 2, 1, 3, 3), randT(rng, -1, 1, 2)}},
	}
	for i, c := range cases {
		if err := opstest.CheckGrad("Convolution", c.attrs, c.in, &opstest.GradOptions{Seed: uint64(i)}); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// distinctT returns values that differ pairwise by at least 0.05, so a
// finite-difference step never changes which element a max picks.
func distinctT(rng *rand.Rand, shape ...int) *tensor.Tensor {
	t, _ := tensor.New(tensor.Float32, shape...)
	d := t.Float32s()
	perm := rng.Perm(len(d))
	for i := range d {
		d[i] = float32(perm[i])*0.05 - float32(len(d))*0.025
	}
	return t
}

func TestBackwardPooling(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	cases := []map[string]string{
		{"kernel": "(2, 2)", "stride": "(2, 2)", "pool_type": "max"},
		{"kernel": "(3, 3)", "stride": "(2, 2)", "pool_type": "max", "pooling_convention": "full", "pad": "(1, 1)"},
		{"kernel": "(3, 3)", "stride": "(2, 2)", "pool_type": "avg", "pooling_convention": "full", "pad": "(1, 1)"},
		{"kernel": "(3, 3)", "stride": "(2, 2)", "pool_type": "avg", "pad": "(1, 1)", "count_include_pad": "False"},
		{"kernel": "(2, 2)", "stride": "(1, 1)", "pool_type": "sum"},
		{"kernel": "(1, 1)", "global_pool": "True", "pool_type": "max"},
		{"kernel": "(1, 1)", "global_pool": "True", "pool_type": "avg"},
		{"kernel": "(2,)", "stride": "(2,)", "pool_type": "max"},
	}
	for i, attrs := range cases {
		shape := []int{2, 2, 5, 5}
		if attrs["kernel"] == "(2,)" {
			shape = []int{2, 2, 7}
		}
		if err := opstest.CheckGrad("Pooling", attrs, []*tensor.Tensor{distinctT(rng, shape...)}, &opstest.GradOptions{Seed: uint64(i), NumGradOutputs: 1}); err != nil {
			t.Errorf("%v: %v", attrs, err)
		}
	}
}

func TestBackwardBinary(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for _, fn := range []string{"add", "sub", "mul", "div", "maximum", "minimum", "power"} {
		lo := -1.0
		if fn == "power" || fn == "div" {
			lo = 0.5
		}
		a, b := randT(rng, lo, 1.5, 2, 3), randT(rng, lo, 1.5, 2, 3)
		if err := opstest.CheckGrad("elemwise_"+fn, nil, []*tensor.Tensor{a, b}, nil); fn != "maximum" && fn != "minimum" && fn != "power" && err != nil {
			t.Errorf("elemwise_%s: %v", fn, err)
		}
		// broadcast: (2, 3, 4) with (3, 1) and with (2, 1, 4)
		x, y := randT(rng, lo, 1.5, 2, 3, 4), randT(rng, lo, 1.5, 3, 1)
		if fn == "maximum" || fn == "minimum" { // no ties within the step
			x, y = gridT(rng, 0.025, 2, 3, 4), gridT(rng, 0, 3, 1)
		}
		if err := opstest.CheckGrad("broadcast_"+fn, nil, []*tensor.Tensor{x, y}, nil); err != nil {
			t.Errorf("broadcast_%s (2,3,4)x(3,1): %v", fn, err)
		}
		y2 := randT(rng, lo, 1.5, 2, 1, 4)
		if fn == "maximum" || fn == "minimum" {
			y2 = gridT(rng, 0, 2, 1, 4)
		}
		if err := opstest.CheckGrad("broadcast_"+fn, nil, []*tensor.Tensor{y2, x}, nil); err != nil {
			t.Errorf("broadcast_%s (2,1,4)x(2,3,4): %v", fn, err)
		}
	}
	for _, op := range []string{"_plus_scalar", "_minus_scalar", "_rminus_scalar", "_mul_scalar", "_div_scalar", "_rdiv_scalar", "_power_scalar"} {
		x := randT(rng, 0.5, 2, 3, 4)
		if err := opstest.CheckGrad(op, map[string]string{"scalar": "1.5"}, []*tensor.Tensor{x}, nil); err != nil {
			t.Errorf("%s: %v", op, err)
		}
	}
}

// gridT returns values k·0.1 − 1 + off (k < 20): two grids with different
// offsets never come within the finite-difference step of each other.
func gridT(rng *rand.Rand, off float32, shape ...int) *tensor.Tensor {
	t, _ := tensor.New(tensor.Float32, shape...)
	for i := range t.Float32s() {
		t.Float32s()[i] = float32(rng.IntN(20))*0.1 - 1 + off
	}
	return t
}

func TestBackwardBatchNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	for _, attrs := range []map[string]string{
		{"fix_gamma": "False"},
		{"fix_gamma": "True"},
		{"fix_gamma": "False", "use_global_stats": "True"},
		{"fix_gamma": "False", "axis": "-1"},
	} {
		x := randT(rng, -1, 1, 3, 2, 4)
		c := 2
		if attrs["axis"] == "-1" {
			c = 4
		}
		in := []*tensor.Tensor{x, randT(rng, 0.5, 1.5, c), randT(rng, -1, 1, c), randT(rng, -1, 1, c), randT(rng, 0.5, 1.5, c)}
		if err := opstest.CheckGrad("BatchNorm", attrs, in, &opstest.GradOptions{NoGrad: []int{3, 4}, NumGradOutputs: 1}); err != nil {
			t.Errorf("%v: %v", attrs, err)
		}
	}
}

// TestBatchNormMovingStats checks the training backward's moving-average
// update against a float64 transcription of MXNet's formula.
func TestBatchNormMovingStats(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	x := randT(rng, -1, 2, 4, 3)
	mm, mv := randT(rng, -1, 1, 3), randT(rng, 0.5, 1.5, 3)
	want := make([][2]float64, 3)
	for ch := range 3 {
		var s, ss float64
		for b := range 4 {
			s += float64(x.Float32s()[b*3+ch])
		}
		mean := s / 4
		for b := range 4 {
			d := float64(x.Float32s()[b*3+ch]) - mean
			ss += d * d
		}
		want[ch] = [2]float64{float64(mm.Float32s()[ch])*0.8 + mean*0.2, float64(mv.Float32s()[ch])*0.8 + ss/4*0.2}
	}
	attrs := map[string]string{"momentum": "0.8", "fix_gamma": "False"}
	in := []*tensor.Tensor{x, randT(rng, 0.5, 1.5, 3), randT(rng, -1, 1, 3), mm, mv}
	out, err := opstest.Run("BatchNorm", attrs, in, &opstest.Options{Train: true})
	if err != nil {
		t.Fatal(err)
	}
	op, _ := ops.Lookup("BatchNorm")
	p, _ := op.Parse(attrs)
	dy := randT(rng, -1, 1, 4, 3)
	dx, _ := tensor.New(tensor.Float32, 4, 3)
	err = op.Backward(&ops.Ctx{Train: true, Threads: 1}, p, in, out, []*tensor.Tensor{dy, nil, nil},
		[]*tensor.Tensor{dx, nil, nil, nil, nil}, []ops.GradReq{ops.GradWrite, 0, 0, 0, 0})
	if err != nil {
		t.Fatal(err)
	}
	for ch := range 3 {
		if g := float64(mm.Float32s()[ch]); math.Abs(g-want[ch][0]) > 1e-5 {
			t.Errorf("moving_mean[%d] = %g, want %g", ch, g, want[ch][0])
		}
		if g := float64(mv.Float32s()[ch]); math.Abs(g-want[ch][1]) > 1e-4 {
			t.Errorf("moving_var[%d] = %g, want %g", ch, g, want[ch][1])
		}
	}
}

func TestBackwardDropout(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for _, attrs := range []map[string]string{{"p": "0.5"}, {"p": "0.3", "axes": "(1,)"}} {
		x := randT(rng, -1, 1, 3, 4)
		out, err := opstest.Run("Dropout", attrs, []*tensor.Tensor{x}, &opstest.Options{Train: true})
		if err != nil {
			t.Fatal(err)
		}
		op, _ := ops.Lookup("Dropout")
		p, _ := op.Parse(attrs)
		dy := randT(rng, -1, 1, 3, 4)
		dx, _ := tensor.New(tensor.Float32, 3, 4)
		if err := op.Backward(&ops.Ctx{Train: true, Threads: 1}, p, []*tensor.Tensor{x}, out, []*tensor.Tensor{dy, nil},
			[]*tensor.Tensor{dx}, []ops.GradReq{ops.GradWrite}); err != nil {
			t.Fatal(err)
		}
		// y = x·m elementwise, so dx = dy·(y/x).
		for i, g := range dx.Float32s() {
			m := out[0].Float32s()[i] / x.Float32s()[i]
			if want := dy.Float32s()[i] * m; math.Abs(float64(g-want)) > 1e-5 {
				t.Fatalf("%v: dx[%d] = %g, want %g", attrs, i, g, want)
			}
		}
	}
}

func TestBackwardLeakyReLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	for _, act := range []string{"leaky", "elu", "selu", "gelu", "gelu_tanh"} {
		x := awayFromZero(randT(rng, -2, 2, 3, 5), 0.01)
		if err := opstest.CheckGrad("LeakyReLU", map[string]string{"act_type": act, "slope": "0.3"}, []*tensor.Tensor{x}, nil); err != nil {
			t.Errorf("%s: %v", act, err)
		}
	}
	x := awayFromZero(randT(rng, -2, 2, 2, 3, 4), 0.01)
	if err := opstest.CheckGrad("LeakyReLU", map[string]string{"act_type": "prelu"}, []*tensor.Tensor{x, randT(rng, 0.1, 0.5, 3)}, nil); err != nil {
		t.Errorf("prelu: %v", err)
	}
}

func TestBackwardSoftmax(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	for _, op := range []string{"softmax", "log_softmax"} {
		for _, attrs := range []map[string]string{nil, {"axis": "1"}, {"temperature": "2"}} {
			if err := opstest.CheckGrad(op, attrs, []*tensor.Tensor{randT(rng, -2, 2, 2, 3, 4)}, nil); err != nil {
				t.Errorf("%s %v: %v", op, attrs, err)
			}
		}
	}
}

func TestBackwardConcatSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	in := []*tensor.Tensor{randT(rng, -1, 1, 2, 3, 2), randT(rng, -1, 1, 2, 1, 2), randT(rng, -1, 1, 2, 2, 2)}
	if err := opstest.CheckGrad("Concat", map[string]string{"num_args": "3", "dim": "1"}, in, nil); err != nil {
		t.Error(err)
	}
	if err := opstest.CheckGrad("Concat", map[string]string{"num_args": "2", "dim": "-1"}, in[:2:2][:1], nil); err == nil {
		// one input given for two: Run must refuse
		t.Error("Concat with a missing input: no error")
	}
	for _, attrs := range []map[string]string{{"num_outputs": "3", "axis": "1"}, {"num_outputs": "2", "axis": "-1", "squeeze_axis": "True"}} {
		if err := opstest.CheckGrad("SliceChannel", attrs, []*tensor.Tensor{randT(rng, -1, 1, 2, 3, 2)}, nil); err != nil {
			t.Errorf("%v: %v", attrs, err)
		}
	}
	if err := opstest.CheckGrad("expand_dims", map[string]string{"axis": "1"}, []*tensor.Tensor{randT(rng, -1, 1, 2, 3)}, nil); err != nil {
		t.Error(err)
	}
}

func TestBackwardDot(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, tr := range [][2]string{{"False", "False"}, {"True", "False"}, {"False", "True"}, {"True", "True"}} {
		attrs := map[string]string{"transpose_a": tr[0], "transpose_b": tr[1]}
		a, b := randT(rng, -1, 1, 2, 3), randT(rng, -1, 1, 3, 4)
		if tr[0] == "True" {
			a = randT(rng, -1, 1, 3, 2)
		}
		if tr[1] == "True" {
			b = randT(rng, -1, 1, 4, 3)
		}
		if err := opstest.CheckGrad("dot", attrs, []*tensor.Tensor{a, b}, nil); err != nil {
			t.Errorf("dot %v: %v", attrs, err)
		}
		ba, bb := randT(rng, -1, 1, append([]int{2}, a.Shape()...)...), randT(rng, -1, 1, append([]int{2}, b.Shape()...)...)
		if err := opstest.CheckGrad("batch_dot", attrs, []*tensor.Tensor{ba, bb}, nil); err != nil {
			t.Errorf("batch_dot %v: %v", attrs, err)
		}
	}
}

func TestBackwardEmbedding(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	idx, _ := tensor.FromSlice([]float32{1, 3, 1, 0, 2, 3}, 2, 3)
	w := randT(rng, -1, 1, 4, 5)
	if err := opstest.CheckGrad("Embedding", map[string]string{"input_dim": "4", "output_dim": "5"}, []*tensor.Tensor{idx, w}, &opstest.GradOptions{NoGrad: []int{0}}); err != nil {
		t.Error(err)
	}
}

func TestBackwardReduce(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	for _, op := range []string{"sum", "mean"} {
		for _, attrs := range []map[string]string{nil, {"axis": "1"}, {"axis": "(0, 2)", "keepdims": "True"}, {"axis": "1", "exclude": "True"}, {"axis": "-1"}} {
			if err := opstest.CheckGrad(op, attrs, []*tensor.Tensor{randT(rng, -1, 1, 2, 3, 4)}, nil); err != nil {
				t.Errorf("%s %v: %v", op, attrs, err)
			}
		}
	}
}

func TestBackwardTranspose(t *testing.T) {
	rng := rand.New(rand.NewPCG(37, 38))
	for _, attrs := range []map[string]string{nil, {"axes": "(1, 0, 2)"}, {"axes": "(2, 0, 1)"}, {"axes": "(0, -1, 1)"}} {
		if err := opstest.CheckGrad("transpose", attrs, []*tensor.Tensor{randT(rng, -1, 1, 2, 3, 4)}, nil); err != nil {
			t.Errorf("%v: %v", attrs, err)
		}
	}
}
