package asm

import "math"

// FloatToHalf converts a float32 to IEEE binary16 bits with round-to-nearest-even,
// as MXNet's pip builds do (F16C `vcvtps2ph` with rounding mode 0): overflow
// gives ±Inf, tiny values give signed zero or a subnormal, and a NaN stays a
// quiet NaN keeping the top 9 bits of its payload.
func FloatToHalf(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	mant := b & 0x7fffff
	switch {
	case exp == 0xff: // Inf or NaN
		if mant == 0 {
			return sign | 0x7c00
		}
		return sign | 0x7e00 | uint16(mant>>13)
	case exp > 127+15: // overflow (exp16 would be >= 31)
		return sign | 0x7c00
	case exp >= 127-14: // normal in half
		h := uint32(exp-(127-15))<<10 | mant>>13
		rest := mant & 0x1fff
		if rest > 0x1000 || (rest == 0x1000 && h&1 == 1) {
			h++ // may carry into the exponent, up to Inf: correct
		}
		return sign | uint16(h)
	case exp >= 127-14-11: // subnormal in half (or rounds up to the smallest normal)
		m := mant | 0x800000
		shift := uint32(126 - 14 - exp + 13 + 1) // 14..24
		h := m >> shift
		rest := m & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rest > half || (rest == half && h&1 == 1) {
			h++
		}
		return sign | uint16(h)
	default:
		return sign
	}
}

// HalfToFloat converts IEEE binary16 bits to float32 exactly.
func HalfToFloat(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp != 0:
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	case mant == 0:
		return math.Float32frombits(sign)
	default: // subnormal: normalise
		e := uint32(127 - 15 + 1)
		for mant&0x400 == 0 {
			mant <<= 1
			e--
		}
		return math.Float32frombits(sign | e<<23 | (mant&0x3ff)<<13)
	}
}
