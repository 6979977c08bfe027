package ops

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// binaryFunc is an elementwise float32 operation on equal-length slices
// (dst may alias x or y).
type binaryFunc func(dst, x, y []float32)

// elementwise binary operations shared by the elemwise_* and broadcast_*
// families, by MXNet's op suffix.
var binaryFuncs = map[string]binaryFunc{
	"add": asm.Add, "sub": asm.Sub, "mul": asm.Mul, "div": asm.Div,
	"power": vecPow, "maximum": vecMaximum, "minimum": vecMinimum,
}

// elemwiseBinaryForward applies f to two inputs of the same shape.
func elemwiseBinaryForward(name string, f binaryFunc) Kernel {
	return func(ctx *Ctx, _ any, in, out []*tensor.Tensor) error {
		if err := float32Only(name, in, out); err != nil {
			return err
		}
		x, y, z := in[0].Float32s(), in[1].Float32s(), out[0].Float32s()
		if len(x) != len(z) || len(y) != len(z) {
			return fmt.Errorf("%s: shapes %s and %s differ", name, in[0], in[1])
		}
		return binaryCtx(ctx, f, z, x, y)
	}
}

// unaryFuncs are the parameterless float32 unary ops.
var unaryFuncs = map[string]func(dst, x []float32){
	"exp":      asm.Exp,
	"log":      asm.Log,
	"sqrt":     vecSqrt,
	"square":   func(dst, x []float32) { asm.Mul(dst, x, x) },
	"abs":      vecAbs,
	"negative": func(dst, x []float32) { asm.Scale(dst, x, -1) },

	"relu":        asm.Relu,
	"sigmoid":     asm.Sigmoid,
	"softsign":    vecSoftSign,
	"tanh":        asm.Tanh,
	"erf":         asm.Erf,
	"erfinv":      mapUnary(math.Erfinv),
	"sin":         mapUnary(math.Sin),
	"cos":         mapUnary(math.Cos),
	"tan":         mapUnary(math.Tan),
	"arcsin":      mapUnary(math.Asin),
	"arccos":      mapUnary(math.Acos),
	"arctan":      mapUnary(math.Atan),
	"sinh":        mapUnary(math.Sinh),
	"cosh":        mapUnary(math.Cosh),
	"arcsinh":     mapUnary(math.Asinh),
	"arccosh":     mapUnary(math.Acosh),
	"arctanh":     mapUnary(math.Atanh),
	"degrees":     mapUnary32(func(v float32) float32 { return degreesPerRadian * v }),
	"radians":     mapUnary32(func(v float32) float32 { return radiansPerDegree * v }),
	"log10":       mapUnary(math.Log10),
	"log2":        mapUnary(math.Log2),
	"log1p":       mapUnary(math.Log1p),
	"expm1":       mapUnary(math.Expm1),
	"reciprocal":  mapUnary32(func(v float32) float32 { return 1 / v }),
	"rsqrt":       mapUnary(func(v float64) float64 { return 1 / math.Sqrt(v) }),
	"cbrt":        mapUnary(math.Cbrt),
	"rcbrt":       mapUnary(func(v float64) float64 { return 1 / math.Cbrt(v) }),
	"sign":        mapUnary32(sign32),
	"round":       mapUnary(math.Round),
	"rint":        mapUnary32(rint32),
	"ceil":        mapUnary(math.Ceil),
	"floor":       mapUnary(math.Floor),
	"trunc":       mapUnary(math.Trunc),
	"fix":         mapUnary32(fix32),
	"gamma":       mapUnary(math.Gamma),
	"gammaln":     mapUnary(gammaln),
	"logical_not": mapUnary32(func(v float32) float32 { return b2f(v == 0) }),

	"_contrib_round_ste": mapUnary(math.Round),
	"_contrib_sign_ste":  mapUnary32(sign32),
}

// unaryForward applies f elementwise (in place allowed).
func unaryForward(name string, f func(dst, x []float32)) Kernel {
	return func(ctx *Ctx, _ any, in, out []*tensor.Tensor) error {
		if err := float32Only(name, in, out); err != nil {
			return err
		}
		return unaryCtx(ctx, f, out[0].Float32s(), in[0].Float32s())
	}
}

// hardSigmoidForward is max(0, min(1, alpha·x + beta)).
func hardSigmoidForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	if err := float32Only("hard_sigmoid", in, out); err != nil {
		return err
	}
	p := params.(*HardSigmoidParam)
	hardSigmoid(out[0].Float32s(), in[0].Float32s(), p.Alpha, p.Beta)
	return nil
}

// addNForward sums all inputs.
func addNForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	if err := float32Only("add_n", in, out); err != nil {
		return err
	}
	y := out[0].Float32s()
	x0 := in[0].Float32s()
	if len(in) == 1 {
		copy(y, x0)
		return nil
	}
	asm.Add(y, x0, in[1].Float32s())
	for _, t := range in[2:] {
		asm.Add(y, y, t.Float32s())
	}
	return nil
}

// castForward converts each element to the output dtype like MXNet's
// Cast: float16 rounds to nearest even, bfloat16 truncates, integers
// truncate toward zero, bool is x != 0.
func castForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	x, y := in[0], out[0]
	if x.DType() == y.DType() {
		return copyForward(nil, nil, in, out)
	}
	if x.DType() == tensor.Float32 && y.DType() == tensor.Float16 {
		src, _ := tensor.Data[float32](x)
		dst, _ := tensor.Data[tensor.Half](y)
		asm.F32ToF16(halfBits(dst), src)
		return nil
	}
	if x.DType() == tensor.Float16 && y.DType() == tensor.Float32 {
		src, _ := tensor.Data[tensor.Half](x)
		asm.F16ToF32(y.Float32s(), halfBits(src))
		return nil
	}
	for i := range x.Len() {
		y.SetFloat64At(i, x.Float64At(i))
	}
	return nil
}

// halfBits views float16 elements as their bit patterns.
func halfBits(h []tensor.Half) []uint16 { return unsafe.Slice((*uint16)(unsafe.SliceData(h)), len(h)) }

// aroundForward is _npi_around (around_forward) in float32: x is scaled by
// 10 per decimal, rounded half to even, and scaled back; the scaling stops
// early once the value no longer changes under it (0, ±Inf, NaN), which
// keeps a huge decimals from looping per element without changing results.
func aroundForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	if err := float32Only("_npi_around", in, out); err != nil {
		return err
	}
	dec := params.(*AroundParam).Decimals
	x, y := in[0].Float32s(), out[0].Float32s()
	for i, v := range x[:len(y)] {
		y[i] = around32(v, dec)
	}
	return nil
}

// fixedUnderScaling reports whether multiplying or dividing v by 10 leaves
// it unchanged.
func fixedUnderScaling(v float32) bool {
	return v == 0 || v != v || math.IsInf(float64(v), 0)
}

func around32(v float32, decimals int) float32 {
	temp := v
	d := 0
	for d != decimals && !fixedUnderScaling(temp) {
		if decimals > 0 {
			d++
			temp *= 10
		} else {
			d--
			temp /= 10
		}
	}
	if fixedUnderScaling(temp) {
		d = decimals
	}
	r := float32(math.Round(float64(temp)))
	// A tie rounded away from zero to an odd value goes back to the even
	// neighbour (only reachable for |temp| < 2^23, so the int is exact).
	if r-temp == 0.5 && int64(r)%2 != 0 {
		r--
	} else if temp-r == 0.5 && int64(r)%2 != 0 {
		r++
	}
	for d != 0 && r != 0 {
		if fixedUnderScaling(r) {
			break
		}
		if decimals > 0 {
			d--
			r /= 10
		} else {
			d++
			r *= 10
		}
	}
	return r
}

// nanToNumForward is _npi_nan_to_num: NaN becomes nan, then +Inf posinf
// and -Inf neginf (each cast to float32; the defaults are ±MaxFloat32).
func nanToNumForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	if err := float32Only("_npi_nan_to_num", in, out); err != nil {
		return err
	}
	p := params.(*NanToNumParam)
	nan := float32(p.NaN)
	pos := float32(p.PosInf.Get(math.MaxFloat32))
	neg := float32(p.NegInf.Get(-math.MaxFloat32))
	x, y := in[0].Float32s(), out[0].Float32s()
	for i, v := range x[:len(y)] {
		if v != v {
			v = nan
		}
		if v > 0 && math.IsInf(float64(v), 1) {
			v = pos
		}
		if v < 0 && math.IsInf(float64(v), -1) {
			v = neg
		}
		y[i] = v
	}
	return nil
}
