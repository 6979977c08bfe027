package tensor

import (
	"math"

	"github.com/mxgo/mxgo/asm"
)

// F32ToF16 converts a float32 to IEEE binary16 bits with round-to-nearest-even,
// as MXNet's pip builds do (F16C `vcvtps2ph` with rounding mode 0); see
// asm.FloatToHalf.
func F32ToF16(f float32) uint16 { return asm.FloatToHalf(f) }

// F16ToF32 converts IEEE binary16 bits to float32 exactly.
func F16ToF32(h uint16) float32 { return asm.HalfToFloat(h) }

// F32ToBF16 converts a float32 to bfloat16 bits the way MXNet does
// (mshadow bfloat.h FloatToBF16): truncation to the upper 16 bits, no rounding.
func F32ToBF16(f float32) uint16 { return uint16(math.Float32bits(f) >> 16) }

// BF16ToF32 widens bfloat16 bits to float32 (low 16 bits zero), exactly.
func BF16ToF32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }
