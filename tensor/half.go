package tensor

import (
	"math"

	"github.com/mxgo/mxgo/asm"
)

// ToHalf converts one float32 to float16 with round-to-nearest-even, as
// MXNet's pip builds do (F16C `vcvtps2ph` with rounding mode 0). Convert back
// with Half.Float32; for whole slices use asm.F32ToF16 and asm.F16ToF32 or
// Tensor.AsType.
func ToHalf(f float32) Half { return Half(asm.FloatToHalf(f)) }

// ToBF16 converts one float32 to bfloat16 the way MXNet does (mshadow
// bfloat.h FloatToBF16): truncation to the upper 16 bits, no rounding.
// Convert back with BF16.Float32.
func ToBF16(f float32) BF16 { return BF16(math.Float32bits(f) >> 16) }
