package tensor

import (
	"math"
	"math/big"
	"testing"
)

// refF16 rounds f to the nearest binary16 value (ties to even) by searching
// the sorted list of all finite half values with exact big.Float arithmetic:
// an oracle independent of ToHalf's bit manipulation.
func refF16(f float32) uint16 {
	if math.IsNaN(float64(f)) {
		b := math.Float32bits(f)
		return uint16(b>>16)&0x8000 | 0x7e00 | uint16(b&0x7fffff>>13)
	}
	sign := uint16(0)
	if math.Signbit(float64(f)) {
		sign = 0x8000
		f = -f
	}
	x := float64(f)
	// largest finite half is 65504; values >= 65520 round to Inf.
	if x >= 65520 {
		return sign | 0x7c00
	}
	lo, hi := uint16(0), uint16(0x7bff)
	for lo < hi { // largest half value <= x
		mid := (lo + hi + 1) / 2
		if float64(Half(mid).Float32()) <= x {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if float64(Half(lo).Float32()) == x {
		return sign | lo
	}
	below := new(big.Float).SetFloat64(float64(Half(lo).Float32()))
	above := new(big.Float).SetFloat64(float64(Half(lo + 1).Float32()))
	if lo == 0x7bff {
		above.SetFloat64(65536)
	}
	v := new(big.Float).SetFloat64(x)
	dl := new(big.Float).Sub(v, below)
	da := new(big.Float).Sub(above, v)
	switch dl.Cmp(da) {
	case -1:
		return sign | lo
	case 1:
		return sign | (lo + 1)
	}
	if lo&1 == 0 {
		return sign | lo
	}
	return sign | (lo + 1)
}

func TestF16RoundTripAllHalves(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		f := Half(uint16(h)).Float32()
		got := uint16(ToHalf(f))
		if exp := h & 0x7c00; exp == 0x7c00 && h&0x3ff != 0 {
			if got&0x7c00 != 0x7c00 || got&0x3ff == 0 || got&0x8000 != uint16(h)&0x8000 {
				t.Fatalf("NaN %#04x -> %v -> %#04x not a NaN of the same sign", h, f, got)
			}
			continue
		}
		if got != uint16(h) {
			t.Fatalf("%#04x -> %v -> %#04x", h, f, got)
		}
	}
}

func TestToHalfAgainstOracle(t *testing.T) {
	check := func(bits uint32) {
		f := math.Float32frombits(bits)
		if got, want := uint16(ToHalf(f)), refF16(f); got != want {
			t.Fatalf("ToHalf(%g [%#08x]) = %#04x, want %#04x", f, bits, got, want)
		}
	}
	// every float32 whose exponent lies in or near half range, sampled densely
	// around tie points, plus a stride through all bit patterns.
	for e := uint32(95); e <= 145; e++ {
		for m := uint32(0); m < 1<<23; m += 1<<9 + 1 {
			check(e<<23 | m)
			check(1<<31 | e<<23 | m)
		}
		for m := uint32(0); m < 1<<23; m += 1 << 12 { // ties and neighbours
			for _, d := range []uint32{0, 1, 0xfff, 0x1000, 0x1001} {
				if m+d < 1<<23 {
					check(e<<23 | (m + d))
				}
			}
		}
	}
	for b := uint64(0); b < 1<<32; b += 65521 {
		check(uint32(b))
	}
	for _, b := range []uint32{0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0, 0x80000000, 0x477fefff, 0x477ff000} {
		check(b)
	}
}

func TestBF16MatchesMXNetTruncation(t *testing.T) {
	cases := []struct {
		f    float32
		want uint16
	}{
		{1, 0x3f80}, {-2, 0xc000}, {1.00390625 + 0.001, 0x3f80}, // truncates, never rounds up
		{float32(math.Inf(1)), 0x7f80}, {3.3895314e38, 0x7f7f},
	}
	for _, c := range cases {
		if got := uint16(ToBF16(c.f)); got != c.want {
			t.Errorf("ToBF16(%v) = %#04x, want %#04x", c.f, got, c.want)
		}
	}
	for h := 0; h < 1<<16; h++ {
		if got := uint16(ToBF16(BF16(h).Float32())); got != uint16(h) {
			t.Fatalf("bf16 %#04x round trip gives %#04x", h, got)
		}
	}
}
