//go:build arm64 && !purego

package asm

import (
	"math"
	"testing"
)

// neonRefF16ToF32 converts half bits to float32 bits by arithmetic on the
// value (NaN payloads kept, like tensor.Half.Float32).
func neonRefF16ToF32(h uint16) uint32 {
	sign := uint32(h>>15) << 31
	e := int(h>>10) & 0x1f
	m := uint32(h & 0x3ff)
	if e == 0x1f {
		return sign | 0x7f800000 | m<<13
	}
	v := math.Ldexp(float64(m), -24) // subnormal or zero
	if e != 0 {
		v = math.Ldexp(float64(1024+m), e-25)
	}
	return sign | math.Float32bits(float32(v))
}

// TestF16ToF32NEON converts all 65536 half patterns, at every start
// offset and length tail, and compares bits.
func TestF16ToF32NEON(t *testing.T) {
	src := make([]uint16, 1<<16+3)
	for i := range src {
		src[i] = uint16(i)
	}
	for off := 0; off < 4; off++ {
		s := src[off : off+1<<16-off]
		dst, check := neonGuarded(len(s), off)
		for i := range dst {
			dst[i] = 0
		}
		f16ToF32NEON(dst, s)
		check(t)
		for i, h := range s {
			if got, want := math.Float32bits(dst[i]), neonRefF16ToF32(h); got != want {
				t.Fatalf("off=%d: F16ToF32(%#04x) = %#08x, want %#08x", off, h, got, want)
			}
		}
	}
	for n := 0; n < 20; n++ {
		dst, check := neonGuarded(n, 1)
		f16ToF32NEON(dst, src[0x3c00:0x3c00+n])
		check(t)
		for i := range dst {
			if math.Float32bits(dst[i]) != neonRefF16ToF32(uint16(0x3c00+i)) {
				t.Fatalf("n=%d: element %d = %v", n, i, dst[i])
			}
		}
	}
}

// neonCheckF32ToF16 reports whether h is x rounded to the nearest half, ties
// to even, with overflow to Inf and NaN as sign|0x7e00|mantissa>>13.
func neonCheckF32ToF16(x float32, h uint16) bool {
	b := math.Float32bits(x)
	sign := uint16(b>>16) & 0x8000
	if x != x {
		return h == sign|0x7e00|uint16(b&0x7fffff>>13)
	}
	if h&0x8000 != sign {
		return false
	}
	ax := math.Abs(float64(x))
	if ax >= 65520 {
		return h&0x7fff == 0x7c00
	}
	mag := h & 0x7fff
	if mag >= 0x7c00 {
		return false
	}
	val := func(m uint16) float64 { return math.Abs(float64(math.Float32frombits(neonRefF16ToF32(m)))) }
	d := math.Abs(ax - val(mag))
	if mag > 0 && math.Abs(ax-val(mag-1)) < d {
		return false
	}
	if up := math.Abs(ax - val(mag+1)); mag+1 < 0x7c00 && up < d {
		return false
	}
	tie := (mag > 0 && math.Abs(ax-val(mag-1)) == d) || (mag+1 < 0x7c00 && math.Abs(ax-val(mag+1)) == d)
	return !tie || mag&1 == 0
}

// TestF32ToF16NEON checks rounding over a sweep of float32 bit patterns,
// every half value, and the midpoints between neighbouring halves.
func TestF32ToF16NEON(t *testing.T) {
	var xs []float32
	step := uint64(4093)
	if testing.Short() {
		step = 65521
	}
	for b := uint64(0); b <= 0xffffffff; b += step {
		xs = append(xs, math.Float32frombits(uint32(b)))
	}
	for h := 0; h < 0x7c00; h++ {
		v := math.Float32frombits(neonRefF16ToF32(uint16(h)))
		next := math.Float32frombits(neonRefF16ToF32(uint16(h + 1)))
		mid := float32((float64(v) + float64(next)) / 2)
		xs = append(xs, v, -v, mid, -mid, math.Nextafter32(mid, 0), math.Nextafter32(mid, 1e9))
	}
	xs = append(xs, 65504, 65519.99, 65520, 65536, 1e10, float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), math.Float32frombits(0x7f800001), math.Float32frombits(0xffc12345))
	for off := 0; off < 4; off++ {
		buf := make([]uint16, off+len(xs)+neonGuard)
		for i := range buf {
			buf[i] = 0xdead
		}
		dst := buf[off : off+len(xs)]
		f32ToF16NEON(dst, xs)
		for i, v := range buf {
			if (i < off || i >= off+len(xs)) && v != 0xdead {
				t.Fatalf("off=%d: guard element %d overwritten", off, i-off)
			}
		}
		for i, x := range xs {
			if !neonCheckF32ToF16(x, dst[i]) {
				t.Fatalf("off=%d: F32ToF16(%v = %#08x) = %#04x", off, x, math.Float32bits(x), dst[i])
			}
		}
		if off == 0 {
			xs = xs[1:] // shift the data relative to the vector boundaries
		}
	}
	for n := 0; n < 20; n++ {
		dst := make([]uint16, n)
		f32ToF16NEON(dst, xs[:n])
		for i := range dst {
			if !neonCheckF32ToF16(xs[i], dst[i]) {
				t.Fatalf("n=%d: element %d = %#04x", n, i, dst[i])
			}
		}
	}
}
