package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/internal/parallel"
	"github.com/mxgo/mxgo/tensor"
)

// scalarFuncs compute dst = op(x, s) for the tensor-scalar operators.
var scalarFuncs = map[string]func(dst, x []float32, s float32){
	"_plus_scalar":    asm.AddScalar,
	"_minus_scalar":   func(dst, x []float32, s float32) { asm.AddScalar(dst, x, -s) },
	"_rminus_scalar":  func(dst, x []float32, s float32) { asm.Affine(dst, x, -1, s) },
	"_mul_scalar":     asm.Scale,
	"_div_scalar":     func(dst, x []float32, s float32) { divScalar(dst, x, s, false) },
	"_rdiv_scalar":    func(dst, x []float32, s float32) { divScalar(dst, x, s, true) },
	"_power_scalar":   mapScalar(func(v, s float32) float32 { return float32(math.Pow(float64(v), float64(s))) }),
	"_rpower_scalar":  mapScalar(func(v, s float32) float32 { return float32(math.Pow(float64(s), float64(v))) }),
	"_maximum_scalar": maximumScalar,
	"_minimum_scalar": minimumScalar,

	"_mod_scalar":   mapScalar(mod32),
	"_rmod_scalar":  mapScalar(func(v, s float32) float32 { return mod32(s, v) }),
	"_hypot_scalar": mapScalar(hypot32),

	"_npi_mod_scalar":       mapScalar(mod32),
	"_npi_rmod_scalar":      mapScalar(func(v, s float32) float32 { return mod32(s, v) }),
	"_npi_copysign_scalar":  mapScalar(copysign32),
	"_npi_rcopysign_scalar": mapScalar(func(v, s float32) float32 { return copysign32(s, v) }),
	"_npi_arctan2_scalar":   mapScalar(arctan232),
	"_npi_rarctan2_scalar":  mapScalar(func(v, s float32) float32 { return arctan232(s, v) }),
	"_npi_ldexp_scalar":     mapScalar(ldexp32),
	"_npi_rldexp_scalar":    mapScalar(func(v, s float32) float32 { return ldexp32(s, v) }),
	"_equal_scalar":         compareScalar["equal"],
	"_not_equal_scalar":     compareScalar["not_equal"],
	"_greater_scalar":       compareScalar["greater"],
	"_greater_equal_scalar": compareScalar["greater_equal"],
	"_lesser_scalar":        compareScalar["lesser"],
	"_lesser_equal_scalar":  compareScalar["lesser_equal"],
	"_logical_and_scalar":   mapScalar(scalarBinary["logical_and"]),
	"_logical_or_scalar":    mapScalar(scalarBinary["logical_or"]),
	"_logical_xor_scalar":   mapScalar(scalarBinary["logical_xor"]),
}

// mapScalar is a tensor-scalar kernel calling f per element (an indirect
// call each, 2 ns or so: for the ops that are not simple arithmetic).
func mapScalar(f func(v, s float32) float32) func(dst, x []float32, s float32) {
	return func(dst, x []float32, s float32) {
		for i, v := range x {
			dst[i] = f(v, s)
		}
	}
}

// scalarForward applies op with the node's scalar (rounded to float32).
func scalarForward(name string) Kernel {
	f := scalarFuncs[name]
	if f == nil {
		panic(fmt.Sprintf("ops: no scalar kernel for %s", name))
	}
	return func(_ *Ctx, params any, in, out []*tensor.Tensor) error {
		if err := float32Only(name, in, out); err != nil {
			return err
		}
		f(out[0].Float32s(), in[0].Float32s(), float32(params.(*ScalarParam).Scalar))
		return nil
	}
}

// scalarChunk is how many copies of the scalar divScalar divides by (or
// into) per asm.Div call.
const scalarChunk = 1024

// scalarChunks are divScalar's buffers of copies of the scalar.
var scalarChunks parallel.FreeList[[scalarChunk]float32]

// divScalar sets dst[i] = x[i]/s, or s/x[i] when rdiv, as asm.Div passes
// over chunks of x against a buffer of copies of s: each element is one
// IEEE division, the bits of the scalar loop, at vector speed
// (x·(1/s) would round twice). dst may be x.
func divScalar(dst, x []float32, s float32, rdiv bool) {
	x = x[:len(dst)]
	buf := scalarChunks.Get()
	sv := buf[:min(len(x), scalarChunk)]
	for i := range sv {
		sv[i] = s
	}
	for i := 0; i < len(x); i += scalarChunk {
		e := min(i+scalarChunk, len(x))
		if rdiv {
			asm.Div(dst[i:e], sv[:e-i], x[i:e])
		} else {
			asm.Div(dst[i:e], x[i:e], sv[:e-i])
		}
	}
	scalarChunks.Put(buf)
}

// maximumScalar sets dst[i] = maximum32(x[i], s): asm.Clip to [s, +Inf]
// (NaN stays NaN, an element equal to s is s's bits), except for a zero or
// NaN s, where maximum32's choice of s (a NaN s, or s on ties of +0 and
// -0) takes the scalar loop.
func maximumScalar(dst, x []float32, s float32) {
	if s != 0 && s == s {
		asm.Clip(dst, x, s, float32(math.Inf(1)))
		return
	}
	x = x[:len(dst)]
	for i, v := range x {
		if !(v != v || v > s) {
			v = s
		}
		dst[i] = v
	}
}

// minimumScalar sets dst[i] = minimum32(x[i], s), as maximumScalar.
func minimumScalar(dst, x []float32, s float32) {
	if s != 0 && s == s {
		asm.Clip(dst, x, float32(math.Inf(-1)), s)
		return
	}
	x = x[:len(dst)]
	for i, v := range x {
		if !(v != v || v < s) {
			v = s
		}
		dst[i] = v
	}
}
