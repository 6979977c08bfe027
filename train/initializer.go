package train

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/mxgo/mxgo/tensor"
)

// Initializer fills a parameter array, as the _init_weight method of an
// MXNet initializer (mx.init.*). Random initializers draw from the given
// generator: mxgo uses math/rand/v2's PCG, so values have MXNet's
// distributions but not MXNet's random stream.
type Initializer interface {
	// InitWeight fills arr (float32) for the parameter called name.
	InitWeight(name string, arr *tensor.Tensor, rng *rand.Rand) error
	// Dumps returns the initializer as MXNet's Initializer.dumps JSON, e.g.
	// ["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 3}].
	Dumps() string
}

func fill(arr *tensor.Tensor, v float32) error {
	if arr == nil || arr.DType() != tensor.Float32 {
		return fmt.Errorf("train: initializer needs a float32 array, got %v", arr)
	}
	f := arr.Float32s()
	for i := range f {
		f[i] = v
	}
	return nil
}

func dumps(name string, kw map[string]any) string {
	b, _ := json.Marshal([]any{name, kw})
	return string(b)
}

// Zero fills with 0 (mx.init.Zero, registered as "zero" and "zeros").
type Zero struct{}

// InitWeight implements Initializer.
func (Zero) InitWeight(_ string, arr *tensor.Tensor, _ *rand.Rand) error { return fill(arr, 0) }

// Dumps implements Initializer.
func (Zero) Dumps() string { return dumps("zero", map[string]any{}) }

// One fills with 1 (mx.init.One, "one" and "ones").
type One struct{}

// InitWeight implements Initializer.
func (One) InitWeight(_ string, arr *tensor.Tensor, _ *rand.Rand) error { return fill(arr, 1) }

// Dumps implements Initializer.
func (One) Dumps() string { return dumps("one", map[string]any{}) }

// Constant fills with Value (mx.init.Constant with a scalar value).
type Constant struct {
	// Value is the fill value.
	Value float64
}

// InitWeight implements Initializer.
func (c Constant) InitWeight(_ string, arr *tensor.Tensor, _ *rand.Rand) error {
	return fill(arr, float32(c.Value))
}

// Dumps implements Initializer.
func (c Constant) Dumps() string { return dumps("constant", map[string]any{"value": c.Value}) }

// Uniform draws from U(−Scale, Scale) (mx.init.Uniform; MXNet's default
// scale is 0.07).
type Uniform struct {
	// Scale bounds the range.
	Scale float64
}

// InitWeight implements Initializer.
func (u Uniform) InitWeight(_ string, arr *tensor.Tensor, rng *rand.Rand) error {
	return fillUniform(arr, -u.Scale, u.Scale, rng)
}

// Dumps implements Initializer.
func (u Uniform) Dumps() string { return dumps("uniform", map[string]any{"scale": u.Scale}) }

// Normal draws from N(0, Sigma²) (mx.init.Normal; MXNet's default sigma is
// 0.01).
type Normal struct {
	// Sigma is the standard deviation.
	Sigma float64
}

// InitWeight implements Initializer.
func (n Normal) InitWeight(_ string, arr *tensor.Tensor, rng *rand.Rand) error {
	return fillNormal(arr, n.Sigma, rng)
}

// Dumps implements Initializer.
func (n Normal) Dumps() string { return dumps("normal", map[string]any{"sigma": n.Sigma}) }

func fillUniform(arr *tensor.Tensor, lo, hi float64, rng *rand.Rand) error {
	if err := fill(arr, 0); err != nil {
		return err
	}
	if rng == nil {
		return fmt.Errorf("train: random initializer without a generator")
	}
	f := arr.Float32s()
	for i := range f {
		f[i] = float32(lo + (hi-lo)*rng.Float64())
	}
	return nil
}

func fillNormal(arr *tensor.Tensor, sigma float64, rng *rand.Rand) error {
	if err := fill(arr, 0); err != nil {
		return err
	}
	if rng == nil {
		return fmt.Errorf("train: random initializer without a generator")
	}
	f := arr.Float32s()
	for i := range f {
		f[i] = float32(sigma * rng.NormFloat64())
	}
	return nil
}

// Xavier is mx.init.Xavier: with fan_in = shape[1]·hw, fan_out =
// shape[0]·hw (hw the product of dims after the second), factor =
// (fan_in+fan_out)/2, fan_in or fan_out by FactorType, and scale =
// sqrt(Magnitude/factor), weights are drawn from U(−scale, scale)
// (RndType "uniform") or N(0, scale²) ("gaussian"). MXNet's defaults:
// "uniform", "avg", 3.
type Xavier struct {
	// RndType is "uniform" or "gaussian".
	RndType string
	// FactorType is "avg", "in" or "out".
	FactorType string
	// Magnitude scales the variance.
	Magnitude float64
}

// Scale returns the bound (uniform) or standard deviation (gaussian) for a
// weight of the given shape.
func (x Xavier) Scale(name string, shape []int) (float64, error) {
	if len(shape) < 2 {
		return 0, fmt.Errorf("train: Xavier initializer cannot be applied to vector %s %s: it requires at least 2D", name, tensor.ShapeString(shape))
	}
	hw := 1.0
	for _, d := range shape[2:] {
		hw *= float64(d)
	}
	fanIn, fanOut := float64(shape[1])*hw, float64(shape[0])*hw
	var factor float64
	switch x.FactorType {
	case "avg":
		factor = (fanIn + fanOut) / 2
	case "in":
		factor = fanIn
	case "out":
		factor = fanOut
	default:
		return 0, fmt.Errorf("train: Xavier factor_type %q: want avg, in or out", x.FactorType)
	}
	return math.Sqrt(x.Magnitude / factor), nil
}

// InitWeight implements Initializer.
func (x Xavier) InitWeight(name string, arr *tensor.Tensor, rng *rand.Rand) error {
	if arr == nil {
		return fmt.Errorf("train: Xavier: nil array for %s", name)
	}
	scale, err := x.Scale(name, arr.Shape())
	if err != nil {
		return err
	}
	switch x.RndType {
	case "uniform":
		return fillUniform(arr, -scale, scale, rng)
	case "gaussian":
		return fillNormal(arr, scale, rng)
	}
	return fmt.Errorf("train: Xavier rnd_type %q: want uniform or gaussian", x.RndType)
}

// Dumps implements Initializer.
func (x Xavier) Dumps() string {
	return dumps("xavier", map[string]any{"rnd_type": x.RndType, "factor_type": x.FactorType, "magnitude": x.Magnitude})
}

// NewXavier returns MXNet's default Xavier("uniform", "avg", 3).
func NewXavier() Xavier { return Xavier{RndType: "uniform", FactorType: "avg", Magnitude: 3} }

// ParseInitializer parses an initializer as MXNet's mx.init.create does:
// a registered name ("xavier", "zero"/"zeros", "one"/"ones", "uniform",
// "normal", "msraprelu"; "constant" needs a value) with MXNet's defaults,
// or the JSON list form of an `__init__` attribute / Initializer.dumps,
// e.g. ["zero", {}] or ["Constant", {"value": 0.25}]. Unknown names and
// keyword arguments are errors.
func ParseInitializer(s string) (Initializer, error) {
	s = strings.TrimSpace(s)
	name := s
	kw := map[string]any{}
	if strings.HasPrefix(s, "[") {
		var parts []json.RawMessage
		if err := json.Unmarshal([]byte(s), &parts); err != nil {
			return nil, fmt.Errorf("train: initializer %q: %w", s, err)
		}
		if len(parts) != 2 {
			return nil, fmt.Errorf("train: initializer %q: want [name, {kwargs}]", s)
		}
		if err := json.Unmarshal(parts[0], &name); err != nil {
			return nil, fmt.Errorf("train: initializer %q: name: %w", s, err)
		}
		if err := json.Unmarshal(parts[1], &kw); err != nil || kw == nil {
			return nil, fmt.Errorf("train: initializer %q: kwargs must be an object", s)
		}
	}
	take := func(key string, def float64) (float64, error) {
		v, ok := kw[key]
		if !ok {
			return def, nil
		}
		delete(kw, key)
		f, ok := v.(float64)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("train: initializer %s: %s = %v is not a number", name, key, v)
		}
		return f, nil
	}
	takeStr := func(key, def string) (string, error) {
		v, ok := kw[key]
		if !ok {
			return def, nil
		}
		delete(kw, key)
		str, ok := v.(string)
		if !ok {
			return "", fmt.Errorf("train: initializer %s: %s = %v is not a string", name, key, v)
		}
		return str, nil
	}
	var init Initializer
	var err error
	switch strings.ToLower(name) {
	case "zero", "zeros":
		init = Zero{}
	case "one", "ones":
		init = One{}
	case "constant":
		if _, ok := kw["value"]; !ok {
			return nil, fmt.Errorf("train: initializer constant needs a value")
		}
		var v float64
		v, err = take("value", 0)
		init = Constant{Value: v}
	case "uniform":
		var v float64
		v, err = take("scale", 0.07)
		init = Uniform{Scale: v}
	case "normal":
		var v float64
		v, err = take("sigma", 0.01)
		init = Normal{Sigma: v}
	case "xavier", "msraprelu":
		x := NewXavier()
		if strings.ToLower(name) == "msraprelu" {
			var slope float64
			if slope, err = take("slope", 0.25); err != nil {
				return nil, err
			}
			x = Xavier{RndType: "gaussian", FactorType: "avg", Magnitude: 2 / (1 + slope*slope)}
		} else {
			if x.RndType, err = takeStr("rnd_type", x.RndType); err != nil {
				return nil, err
			}
			if x.Magnitude, err = take("magnitude", x.Magnitude); err != nil {
				return nil, err
			}
		}
		if x.FactorType, err = takeStr("factor_type", x.FactorType); err != nil {
			return nil, err
		}
		if x.RndType != "uniform" && x.RndType != "gaussian" {
			return nil, fmt.Errorf("train: Xavier rnd_type %q: want uniform or gaussian", x.RndType)
		}
		if x.FactorType != "avg" && x.FactorType != "in" && x.FactorType != "out" {
			return nil, fmt.Errorf("train: Xavier factor_type %q: want avg, in or out", x.FactorType)
		}
		init = x
	default:
		return nil, fmt.Errorf("train: initializer %q is not supported (have zero, one, constant, uniform, normal, xavier, msraprelu)", name)
	}
	if err != nil {
		return nil, err
	}
	if len(kw) > 0 {
		keys := make([]string, 0, len(kw))
		for k := range kw {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return nil, fmt.Errorf("train: initializer %s: unknown arguments %s", name, strings.Join(keys, ", "))
	}
	return init, nil
}

// ParamInit initializes a model's parameters as MXNet's
// Initializer.__call__(InitDesc(name, attrs), arr) does with Global as the
// initializer given to Module.init_params: an `__init__` attribute names
// the initializer whose weight rule fills the array; otherwise by name
// suffix: "weight" → Global, "bias" → 0, "gamma" → 1, "beta" → 0, "min" →
// 0, "max" → 1, "moving_mean"/"moving_inv_var"/"moving_avg" → 0,
// "moving_var" → 1 (the values BatchNorm's `__init__` attributes and
// MXNet's legacy rules give); any other name is an error.
type ParamInit struct {
	// Global fills weights without an `__init__` attribute.
	Global Initializer
	// Rand is the generator random initializers draw from.
	Rand *rand.Rand
}

// NewParamInit returns a ParamInit drawing from a PCG generator seeded by
// seed.
func NewParamInit(global Initializer, seed uint64) *ParamInit {
	return &ParamInit{Global: global, Rand: rand.New(rand.NewPCG(seed, 0x6d78676f))}
}

// Init fills arr, the parameter called name whose symbol attributes are
// attrs (may be nil).
func (p *ParamInit) Init(name string, attrs map[string]string, arr *tensor.Tensor) error {
	if s := attrs["__init__"]; s != "" {
		in, err := ParseInitializer(s)
		if err != nil {
			return fmt.Errorf("train: parameter %s: __init__: %w", name, err)
		}
		if err := in.InitWeight(name, arr, p.Rand); err != nil {
			return fmt.Errorf("train: parameter %s: %w", name, err)
		}
		return nil
	}
	var err error
	switch {
	case strings.HasSuffix(name, "weight"):
		if p.Global == nil {
			return fmt.Errorf("train: parameter %s: no initializer for weights", name)
		}
		err = p.Global.InitWeight(name, arr, p.Rand)
	case strings.HasSuffix(name, "bias"), strings.HasSuffix(name, "beta"), strings.HasSuffix(name, "min"),
		strings.HasSuffix(name, "moving_mean"), strings.HasSuffix(name, "moving_inv_var"), strings.HasSuffix(name, "moving_avg"):
		err = fill(arr, 0)
	case strings.HasSuffix(name, "gamma"), strings.HasSuffix(name, "max"), strings.HasSuffix(name, "moving_var"):
		err = fill(arr, 1)
	default:
		return fmt.Errorf("train: unknown initialization pattern for %s: default initialization is limited to "+
			"weight, bias, gamma (1.0), beta (0.0) and BatchNorm's moving_mean/moving_var; set an __init__ attribute", name)
	}
	if err != nil {
		return fmt.Errorf("train: parameter %s: %w", name, err)
	}
	return nil
}
