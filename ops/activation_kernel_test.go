package ops_test

import (
	"math"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// kaActInput covers both signs, zero, the softrelu threshold, large
// magnitudes, infinities and NaN; 19 elements so vector tails are hit.
func kaActInput() *tensor.Tensor {
	return kaT(kaS(19), -3, -1.5, -0.25, 0, 0.25, 1.5, 3, 19.5, 20, 20.5, 25, -25, -90, 90,
		kaInf, -kaInf, kaNaN, 1e-8, -7)
}

func softplus64(v float64) float64 {
	if v > 0 {
		return v + math.Log1p(math.Exp(-v))
	}
	return math.Log1p(math.Exp(v))
}

func TestActivationKernel(t *testing.T) {
	refs := map[string]func(float64) float64{
		"relu": func(v float64) float64 {
			if v > 0 || math.IsNaN(v) {
				return v
			}
			return 0
		},
		"sigmoid": func(v float64) float64 { return 1 / (1 + math.Exp(-v)) },
		"tanh":    math.Tanh,
		"softrelu": func(v float64) float64 {
			if v > 20 {
				return v
			}
			return math.Log1p(math.Exp(v))
		},
		"softsign":    func(v float64) float64 { return v / (1 + math.Abs(v)) },
		"log_sigmoid": func(v float64) float64 { return -softplus64(-v) },
		"mish": func(v float64) float64 {
			if math.IsInf(v, 1) {
				return v
			}
			return v * math.Tanh(softplus64(v))
		},
	}
	for act, f := range refs {
		t.Run(act, func(t *testing.T) {
			x := kaActInput()
			if act == "softsign" {
				// ±Inf/(1+Inf) is NaN in MXNet's formula as in ours.
				x = kaT(kaS(7), -3, -0.5, 0, 0.5, 3, 1e30, kaNaN)
			}
			kaExpect(t, "Activation", map[string]string{"act_type": act}, []*tensor.Tensor{x},
				x.Shape(), kaMap(x, f), 2e-6, 1e-7)
			r := kaRand(5, 8, 3, 5, 7)
			kaExpect(t, "Activation", map[string]string{"act_type": act}, []*tensor.Tensor{r},
				r.Shape(), kaMap(r, f), 2e-6, 1e-7)
		})
	}
}

func TestLeakyReLUKernel(t *testing.T) {
	const selA, selL = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
	gelu := func(v float64) float64 { return 0.5 * v * (1 + math.Erf(v/math.Sqrt2)) }
	leaky := func(s float64) func(float64) float64 {
		return func(v float64) float64 {
			if v > 0 {
				return v
			}
			return s * v
		}
	}
	cases := []struct {
		attrs map[string]string
		f     func(float64) float64
	}{
		{map[string]string{}, leaky(0.25)},
		{map[string]string{"act_type": "leaky", "slope": "0.1"}, leaky(0.1)},
		{map[string]string{"act_type": "leaky", "slope": "-2"}, leaky(-2)},
		{map[string]string{"act_type": "rrelu"}, leaky((0.125 + 0.334) / 2)},
		{map[string]string{"act_type": "rrelu", "lower_bound": "0.2", "upper_bound": "0.4"}, leaky(0.3)},
		{map[string]string{"act_type": "elu"}, func(v float64) float64 {
			if v > 0 {
				return v
			}
			return 0.25 * math.Expm1(v)
		}},
		{map[string]string{"act_type": "elu", "slope": "1.5"}, func(v float64) float64 {
			if v > 0 {
				return v
			}
			return 1.5 * math.Expm1(v)
		}},
		{map[string]string{"act_type": "selu"}, func(v float64) float64 {
			if v > 0 {
				return selL * v
			}
			return selL * selA * math.Expm1(v)
		}},
		{map[string]string{"act_type": "gelu"}, gelu},
		{map[string]string{"act_type": "gelu_erf"}, gelu},
		{map[string]string{"act_type": "gelu_tanh"}, func(v float64) float64 {
			return 0.5 * v * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(v+0.044715*v*v*v)))
		}},
	}
	for _, c := range cases {
		t.Run(c.attrs["act_type"]+"/"+c.attrs["slope"]+c.attrs["lower_bound"], func(t *testing.T) {
			for _, x := range []*tensor.Tensor{
				kaT(kaS(2, 9), -3, -1.5, -0.25, 0, 0.25, 1.5, 3, -20, 8, kaNaN, 0.5, -0.5, 4, -4, 1e-3, -1e-3, 6, -6),
				kaRand(3, 5, 4, 3, 5),
			} {
				kaExpect(t, "LeakyReLU", c.attrs, []*tensor.Tensor{x}, x.Shape(), kaMap(x, c.f), 2e-6, 1e-7)
			}
		})
	}
}

// TestLeakyReLURReLUMask checks rrelu's hidden mask output at inference:
// the mean slope everywhere.
func TestLeakyReLURReLUMask(t *testing.T) {
	x := kaRand(4, 2, 3, 4)
	outs := kaRun(t, "LeakyReLU", map[string]string{"act_type": "rrelu", "lower_bound": "0.1", "upper_bound": "0.3"}, x)
	if len(outs) != 2 {
		t.Fatalf("%d outputs, want 2", len(outs))
	}
	want := make([]float64, 12)
	for i := range want {
		want[i] = float64(float32(0.1)+float32(0.3)) / 2
	}
	kaCheck(t, "mask", outs[1], kaS(3, 4), want, 1e-7, 0)
}

func TestLeakyReLUPReLU(t *testing.T) {
	prelu := func(x, g *tensor.Tensor, ch func(i int) int) []float64 {
		out := kaF64(x)
		for i, v := range out {
			if !(v > 0) {
				out[i] = v * g.Float64At(ch(i))
			}
		}
		return out
	}
	attrs := map[string]string{"act_type": "prelu"}
	// Per channel on NCHW data.
	x := kaRand(1, 2, 2, 3, 2, 5)
	g := kaT(kaS(3), 0.1, -0.5, 2)
	kaExpect(t, "LeakyReLU", attrs, []*tensor.Tensor{x, g}, x.Shape(), prelu(x, g, func(i int) int { return i / 10 % 3 }), 1e-7, 0)
	// Per channel on (N, C) data.
	x2 := kaRand(2, 2, 4, 3)
	kaExpect(t, "LeakyReLU", attrs, []*tensor.Tensor{x2, g}, x2.Shape(), prelu(x2, g, func(i int) int { return i % 3 }), 1e-7, 0)
	// One slope for everything.
	g1 := kaT(kaS(1), 0.3)
	x3 := kaRand(3, 2, 2, 1, 3)
	kaExpect(t, "LeakyReLU", attrs, []*tensor.Tensor{x3, g1}, x3.Shape(), prelu(x3, g1, func(int) int { return 0 }), 1e-7, 0)
	// A gamma of the data's shape: one slope per element.
	ge := kaRand(4, 1, 2, 3, 2)
	x4 := kaRand(5, 2, 2, 3, 2)
	kaExpect(t, "LeakyReLU", attrs, []*tensor.Tensor{x4, ge}, x4.Shape(), prelu(x4, ge, func(i int) int { return i }), 1e-7, 0)
}

func TestActivationInPlace(t *testing.T) {
	x := kaRand(9, 3, 37)
	want := kaMap(x, math.Tanh)
	if err := kaForwardInPlace("Activation", map[string]string{"act_type": "tanh"}, x); err != nil {
		t.Fatal(err)
	}
	kaCheck(t, "in place", x, kaS(37), want, 2e-6, 1e-7)
}

func TestActivationNoAllocs(t *testing.T) {
	for _, act := range []string{"relu", "sigmoid", "tanh", "softrelu", "softsign", "log_sigmoid", "mish"} {
		kaNoAllocs(t, "Activation", map[string]string{"act_type": act}, kaRand(1, 3, 4, 33))
	}
	for _, act := range []string{"leaky", "elu", "selu", "gelu", "gelu_tanh", "rrelu"} {
		kaNoAllocs(t, "LeakyReLU", map[string]string{"act_type": act}, kaRand(1, 3, 4, 33))
	}
	kaNoAllocs(t, "LeakyReLU", map[string]string{"act_type": "prelu"}, kaRand(1, 3, 2, 3, 4), kaRand(2, 1, 3))
}

// TestLeakyReLURReLUTrain checks rrelu in a training pass: every mask
// element is a slope in [lower, upper), not all equal, and the output uses
// it for non-positive data.
func TestLeakyReLURReLUTrain(t *testing.T) {
	x := kaRand(6, 2, 4, 25)
	outs, err := opstest.Run("LeakyReLU", map[string]string{"act_type": "rrelu", "lower_bound": "0.1", "upper_bound": "0.3"},
		[]*tensor.Tensor{x}, &opstest.Options{Train: true})
	if err != nil {
		t.Fatal(err)
	}
	y, mask := outs[0].Float32s(), outs[1].Float32s()
	distinct := map[float32]bool{}
	for i, v := range x.Float32s() {
		m := mask[i]
		if !(m >= 0.1 && m < 0.3) {
			t.Fatalf("mask[%d] = %v, outside [0.1, 0.3)", i, m)
		}
		distinct[m] = true
		want := v
		if !(v > 0) {
			want = v * m
		}
		if y[i] != want {
			t.Fatalf("y[%d] = %v, want %v (x %v, slope %v)", i, y[i], want, v, m)
		}
	}
	if len(distinct) < 50 {
		t.Errorf("only %d distinct slopes in 100 draws", len(distinct))
	}
}
