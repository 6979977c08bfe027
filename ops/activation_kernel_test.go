package ops_test

import (
	"math"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// actEdge holds values that exercise the special cases of the activation
// functions: signed zeros, the softrelu threshold 20, large magnitudes,
// infinities and NaN.
var actEdge = []float32{0, float32(math.Copysign(0, -1)), 1e-6, -1e-6, 0.5, -0.5, 3, -3, 19.99, 20, 20.01, 25, -25, 90, -90,
	float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}

// softreluRef is MXNet's softrelu: x itself above 20, else log(1 + e^x).
func softreluRef(x float64) float64 {
	if x > 20 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

func sigmoidRef(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

var activationRefs = map[string]func(float64) float64{
	"relu": func(x float64) float64 {
		if math.IsNaN(x) || x > 0 {
			return x
		}
		return 0
	},
	"sigmoid":  sigmoidRef,
	"tanh":     math.Tanh,
	"softrelu": softreluRef,
	// softsign and mish follow MXNet's formulas literally: ±Inf gives
	// Inf/Inf and -Inf·0, both NaN.
	"softsign": func(x float64) float64 { return x / (1 + math.Abs(x)) },
	"log_sigmoid": func(x float64) float64 {
		if x < -30 {
			// log(1/(1+e^-x)) → x. mxgo keeps this exact value where
			// MXNet's float32 formula overflows to -Inf (x < -88.7).
			return x
		}
		return math.Log(sigmoidRef(x))
	},
	"mish": func(x float64) float64 { return x * math.Tanh(softreluRef(x)) },
}

func TestActivationForward(t *testing.T) {
	for name, ref := range activationRefs {
		t.Run(name, func(t *testing.T) {
			for _, x := range []*tensor.Tensor{kaT([]int{len(actEdge)}, actEdge...), kaRand(3, 3, 5, 7), kaRand(4, 2, 33)} {
				out := kaRun(t, "Activation", map[string]string{"act_type": name}, x)
				kaCheck(t, name, out[0], x.Shape(), kaMap(x, ref), 2e-6, 1e-7)
			}
		})
	}
}

func TestActivationHandChecked(t *testing.T) {
	x := kaT([]int{2, 2}, -1, 0, 2, float32(math.NaN()))
	out := kaRun(t, "Activation", map[string]string{"act_type": "relu"}, x)
	kaCheck(t, "relu", out[0], []int{2, 2}, []float64{0, 0, 2, math.NaN()}, 0, 0)
	// softrelu returns x itself above the threshold 20.
	out = kaRun(t, "Activation", map[string]string{"act_type": "softrelu"}, kaT([]int{2}, 20.5, 0))
	kaCheck(t, "softrelu", out[0], []int{2}, []float64{20.5, math.Ln2}, 1e-7, 0)
	out = kaRun(t, "Activation", map[string]string{"act_type": "softsign"}, kaT([]int{2}, 1, -3))
	kaCheck(t, "softsign", out[0], []int{2}, []float64{0.5, -0.75}, 0, 0)
}

func TestActivationNoAllocs(t *testing.T) {
	for name := range activationRefs {
		kaNoAllocs(t, "Activation", map[string]string{"act_type": name}, kaRand(1, 4, 9))
	}
}

func eluRef(slope float64) func(float64) float64 {
	return func(x float64) float64 {
		if x > 0 {
			return x
		}
		return slope * math.Expm1(x)
	}
}

func leakyRef(slope float64) func(float64) float64 {
	return func(x float64) float64 {
		if x > 0 || math.IsNaN(x) {
			return x
		}
		if x == 0 {
			return x * slope
		}
		return slope * x
	}
}

func TestLeakyReLUForward(t *testing.T) {
	const lambda, alpha = 1.0507009873554805, 1.6732632423543772
	cases := []struct {
		attrs map[string]string
		ref   func(float64) float64
	}{
		{map[string]string{}, leakyRef(0.25)},
		{map[string]string{"act_type": "leaky", "slope": "0.1"}, leakyRef(float64(float32(0.1)))},
		{map[string]string{"act_type": "leaky", "slope": "-2"}, leakyRef(-2)},
		{map[string]string{"act_type": "elu", "slope": "0.7"}, eluRef(float64(float32(0.7)))},
		{map[string]string{"act_type": "selu"}, func(x float64) float64 {
			if x > 0 {
				return lambda * x
			}
			return lambda * alpha * math.Expm1(x)
		}},
		{map[string]string{"act_type": "gelu"}, func(x float64) float64 { return 0.5 * x * (1 + math.Erf(x/math.Sqrt2)) }},
		{map[string]string{"act_type": "gelu_erf"}, func(x float64) float64 { return 0.5 * x * (1 + math.Erf(x/math.Sqrt2)) }},
		{map[string]string{"act_type": "gelu_tanh"}, func(x float64) float64 {
			return 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
		}},
		// rrelu at inference: the fixed slope (lower+upper)/2 in float32.
		{map[string]string{"act_type": "rrelu", "lower_bound": "0.1", "upper_bound": "0.3"}, leakyRef(float64((float32(0.1) + float32(0.3)) / 2))},
	}
	edge := kaT([]int{3, 5}, -3, -1, -0.25, 0, 0.25, 1, 3, 8, -8, 0.5, -0.5, 2, -2, 1e-3, -1e-3)
	for _, c := range cases {
		t.Run(c.attrs["act_type"], func(t *testing.T) {
			for _, x := range []*tensor.Tensor{edge, kaRand(5, 2, 3, 7)} {
				out := kaRun(t, "LeakyReLU", c.attrs, x)
				kaCheck(t, "output", out[0], x.Shape(), kaMap(x, c.ref), 4e-6, 1e-6)
			}
		})
	}
}

// preluRef applies gamma broadcast like MXNet (axes 0 and 1 of data).
func preluRef(x *tensor.Tensor, gamma []float64, g0, g1 int) []float64 {
	n, c := x.Dim(0), x.Dim(1)
	inner := x.Len() / (n * c)
	v := kaF64(x)
	for i := range n {
		for j := range c {
			gi := 0
			if g0 > 1 {
				gi = i * g1
			}
			if g1 > 1 {
				gi += j
			}
			for p := range inner {
				k := (i*c+j)*inner + p
				if !(v[k] > 0) {
					v[k] *= gamma[gi]
				}
			}
		}
	}
	return v
}

func TestPReLUForward(t *testing.T) {
	x := kaRand(7, 2, 3, 4, 5)
	attrs := map[string]string{"act_type": "prelu"}
	cases := []struct {
		gamma  []int
		g0, g1 int
	}{
		{[]int{3}, 1, 3},
		{[]int{1}, 1, 1},
		{[]int{1, 3}, 1, 3},
		{[]int{2, 3}, 2, 3},
		{[]int{2, 1}, 2, 1},
	}
	for _, c := range cases {
		g := kaRand(9, c.gamma...)
		out := kaRun(t, "LeakyReLU", attrs, x, g)
		kaCheck(t, "prelu gamma "+tensor.ShapeString(c.gamma), out[0], x.Shape(), preluRef(x, kaF64(g), c.g0, c.g1), 1e-6, 0)
	}
	// 2-D data with a per-element gamma of the data's shape.
	x2, g2 := kaRand(3, 4, 6), kaRand(4, 4, 6)
	out := kaRun(t, "LeakyReLU", attrs, x2, g2)
	kaCheck(t, "prelu 2-D", out[0], x2.Shape(), preluRef(x2, kaF64(g2), 4, 6), 1e-6, 0)
	// Hand-checked: channel 0 slope 0.5, channel 1 slope -1.
	out = kaRun(t, "LeakyReLU", attrs, kaT([]int{1, 2, 2}, -2, 4, -2, 4), kaT([]int{2}, 0.5, -1))
	kaCheck(t, "prelu hand", out[0], []int{1, 2, 2}, []float64{-1, 4, 2, 4}, 0, 0)
}

func TestLeakyReLUNoAllocs(t *testing.T) {
	for _, a := range []string{"leaky", "elu", "selu", "gelu", "gelu_tanh", "rrelu"} {
		kaNoAllocs(t, "LeakyReLU", map[string]string{"act_type": a}, kaRand(1, 4, 9))
	}
	kaNoAllocs(t, "LeakyReLU", map[string]string{"act_type": "prelu"}, kaRand(1, 2, 3, 5), kaRand(2, 3))
}
