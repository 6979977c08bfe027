package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// scalarFuncs compute dst = op(x, s) for the tensor-scalar operators.
var scalarFuncs = map[string]func(dst, x []float32, s float32){
	"_plus_scalar":    asm.AddScalar,
	"_minus_scalar":   func(dst, x []float32, s float32) { asm.AddScalar(dst, x, -s) },
	"_rminus_scalar":  func(dst, x []float32, s float32) { asm.Affine(dst, x, -1, s) },
	"_mul_scalar":     asm.Scale,
	"_div_scalar":     mapScalar(func(v, s float32) float32 { return v / s }),
	"_rdiv_scalar":    mapScalar(func(v, s float32) float32 { return s / v }),
	"_power_scalar":   mapScalar(func(v, s float32) float32 { return float32(math.Pow(float64(v), float64(s))) }),
	"_rpower_scalar":  mapScalar(func(v, s float32) float32 { return float32(math.Pow(float64(s), float64(v))) }),
	"_maximum_scalar": mapScalar(maximum32),
	"_minimum_scalar": mapScalar(minimum32),

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
