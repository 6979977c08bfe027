package train

import (
	"math"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

func moments(f []float32) (mean, variance float64) {
	for _, v := range f {
		mean += float64(v)
	}
	mean /= float64(len(f))
	for _, v := range f {
		d := float64(v) - mean
		variance += d * d
	}
	return mean, variance / float64(len(f))
}

func TestXavierMoments(t *testing.T) {
	shape := []int{64, 32, 3, 3} // fan_in 288, fan_out 576
	for _, c := range []struct {
		init Xavier
		// want is the variance: scale²/3 for uniform, scale² for gaussian,
		// with scale² = magnitude/factor computed by hand.
		want float64
	}{
		{NewXavier(), 3.0 / 432 / 3},
		{Xavier{"uniform", "in", 2}, 2.0 / 288 / 3},
		{Xavier{"gaussian", "out", 2.34}, 2.34 / 576},
		{Xavier{"gaussian", "avg", 3}, 3.0 / 432},
	} {
		arr, _ := tensor.New(tensor.Float32, shape...)
		p := NewParamInit(c.init, 7)
		if err := p.Init("conv_weight", nil, arr); err != nil {
			t.Fatal(err)
		}
		m, v := moments(arr.Float32s())
		n := float64(arr.Len())
		if math.Abs(m) > 5*math.Sqrt(c.want/n) {
			t.Errorf("%+v: mean %v", c.init, m)
		}
		if math.Abs(v-c.want) > 0.03*c.want {
			t.Errorf("%+v: variance %v, want %v", c.init, v, c.want)
		}
		if c.init.RndType == "uniform" {
			bound := math.Sqrt(3 * c.want)
			for _, x := range arr.Float32s() {
				if math.Abs(float64(x)) > bound {
					t.Fatalf("%+v: %v outside ±%v", c.init, x, bound)
				}
			}
		}
	}
	// Same seed, same values; another seed, other values.
	a, _ := tensor.New(tensor.Float32, 4, 5)
	b, _ := tensor.New(tensor.Float32, 4, 5)
	_ = NewParamInit(NewXavier(), 1).Init("w_weight", nil, a)
	_ = NewParamInit(NewXavier(), 1).Init("w_weight", nil, b)
	if string(a.Bytes()) != string(b.Bytes()) {
		t.Error("same seed gave different values")
	}
	_ = NewParamInit(NewXavier(), 2).Init("w_weight", nil, b)
	if string(a.Bytes()) == string(b.Bytes()) {
		t.Error("different seeds gave the same values")
	}
	v, _ := tensor.New(tensor.Float32, 5)
	if err := NewParamInit(NewXavier(), 1).Init("fc_weight", nil, v); err == nil || !strings.Contains(err.Error(), "2D") {
		t.Errorf("Xavier on a vector: %v", err)
	}
}

func TestUniformNormalMoments(t *testing.T) {
	arr, _ := tensor.New(tensor.Float32, 100000)
	p := NewParamInit(Uniform{Scale: 0.5}, 3)
	if err := p.Init("x_weight", nil, arr); err != nil {
		t.Fatal(err)
	}
	if m, v := moments(arr.Float32s()); math.Abs(m) > 0.005 || math.Abs(v-0.25/3) > 0.002 {
		t.Errorf("uniform mean %v var %v", m, v)
	}
	p = NewParamInit(Normal{Sigma: 2}, 3)
	if err := p.Init("x_weight", nil, arr); err != nil {
		t.Fatal(err)
	}
	if m, v := moments(arr.Float32s()); math.Abs(m) > 0.03 || math.Abs(v-4) > 0.08 {
		t.Errorf("normal mean %v var %v", m, v)
	}
}

func TestParamInitNameRules(t *testing.T) {
	p := NewParamInit(Constant{Value: 7}, 0)
	for _, c := range []struct {
		name  string
		attrs map[string]string
		want  float32
	}{
		{"fc1_weight", nil, 7},
		{"fc1_bias", nil, 0},
		{"bn_gamma", nil, 1},
		{"bn_beta", nil, 0},
		{"bn_moving_mean", nil, 0},
		{"bn_moving_var", nil, 1},
		{"q_min", nil, 0},
		{"q_max", nil, 1},
		{"fc1_bias", map[string]string{"__init__": `["Constant", {"value": 0.25}]`}, 0.25},
		{"fc1_weight", map[string]string{"__init__": `["zero", {}]`}, 0},
		{"bn_moving_var", map[string]string{"__init__": `["one", {}]`}, 1},
		{"anything", map[string]string{"__init__": "ones"}, 1},
	} {
		arr, _ := tensor.New(tensor.Float32, 2, 3)
		f := arr.Float32s()
		for i := range f {
			f[i] = -99
		}
		if err := p.Init(c.name, c.attrs, arr); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for _, x := range f {
			if x != c.want {
				t.Fatalf("%s %v: got %v, want %v", c.name, c.attrs, x, c.want)
			}
		}
	}
	arr, _ := tensor.New(tensor.Float32, 2)
	for _, c := range []struct {
		name  string
		attrs map[string]string
	}{
		{"data", nil},
		{"x_weight", map[string]string{"__init__": `["constant", {}]`}},
		{"x_weight", map[string]string{"__init__": `["xavier", {"rnd_type": "cauchy"}]`}},
		{"x_weight", map[string]string{"__init__": `["xavier", {"magnitud": 3}]`}},
		{"x_weight", map[string]string{"__init__": `["orthogonal", {}]`}},
		{"x_weight", map[string]string{"__init__": `["zero"`}},
	} {
		if err := p.Init(c.name, c.attrs, arr); err == nil {
			t.Errorf("%s %v accepted", c.name, c.attrs)
		}
	}
}

func TestParseInitializerDumps(t *testing.T) {
	for _, s := range []string{`["xavier", {"factor_type": "in", "magnitude": 2.34, "rnd_type": "gaussian"}]`, "normal", `["uniform", {"scale": 0.1}]`} {
		in, err := ParseInitializer(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseInitializer(in.Dumps())
		if err != nil || back != in {
			t.Errorf("%s: dumps %s re-parses to %v (%v)", s, in.Dumps(), back, err)
		}
	}
	m, err := ParseInitializer(`["msraprelu", {"slope": 0}]`)
	if err != nil || m.(Xavier).Magnitude != 2 || m.(Xavier).RndType != "gaussian" {
		t.Errorf("msraprelu: %+v %v", m, err)
	}
}
