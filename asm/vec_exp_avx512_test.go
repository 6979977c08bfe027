//go:build amd64 && !purego

package asm

import (
	"math"
	"testing"
)

// TestVecExpAVX512MatchesAVX2Bitwise checks that the AVX-512 exp-based
// kernels, which scale by 2^n with one VSCALEFPS, give the bits of the AVX2
// ones, which scale with two VMULPS: every 997th bit pattern over [-120,
// 120], every 13th over [-104, -87] (exp's subnormal results), and NaN,
// ±Inf, ±0 and subnormal inputs, at several tail lengths.
func TestVecExpAVX512MatchesAVX2Bitwise(t *testing.T) {
	requireAVX512(t)
	prev := Impl()
	defer func() { _ = SetImpl(prev) }()
	x := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0,
		float32(math.Copysign(0, -1)), 1e-40, -1e-40, -87.33655, -103.97208, -103.97209, 88.72284, 88.72285}
	for u := uint32(0); u <= math.Float32bits(120); u += 997 {
		x = append(x, math.Float32frombits(u), -math.Float32frombits(u))
	}
	for u := math.Float32bits(87); u <= math.Float32bits(104); u += 13 {
		x = append(x, -math.Float32frombits(u))
	}
	kernels := []struct {
		name string
		fn   func(dst, x []float32)
	}{{"exp", Exp}, {"sigmoid", Sigmoid}, {"tanh", Tanh}}
	for _, k := range kernels {
		for _, n := range []int{len(x), 1, 15, 16, 17, 33} {
			in := x[len(x)-n:]
			got := make([]float32, n)
			want := make([]float32, n)
			for _, c := range []struct {
				impl string
				dst  []float32
			}{{AVX2, want}, {AVX512, got}} {
				if err := SetImpl(c.impl); err != nil {
					t.Fatal(err)
				}
				k.fn(c.dst, in)
			}
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s n=%d: %s(%g) = %g (%#x), avx2 gives %g (%#x)", k.name, n, k.name, in[i],
						got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
				}
			}
		}
	}
}
