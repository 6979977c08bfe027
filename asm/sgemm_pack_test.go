package asm

import (
	"math/rand/v2"
	"testing"
)

// TestPackBT16 checks the selected 16-column transposed-B panel packer (the
// Go packBT16 where the kernel has none) against the definition
// d[p*16+r] = b[r*ldb+p], with a guard band after the panel.
func TestPackBT16(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	ForEachImpl(func(impl string) {
		pack := packBT16
		if k, ok := sgemmKernels[impl]; ok && k.nr == 16 && k.packBT != nil {
			pack = k.packBT
		}
		for kb := 1; kb <= 41; kb++ {
			ldb := kb + kb%3
			b := randSlice(r, 15*ldb+kb)
			d := make([]float32, 16*kb+8)
			for i := range d {
				d[i] = sentinel
			}
			pack(d[:16*kb], b, ldb, kb)
			for p := range kb {
				for row := range 16 {
					if got, want := d[p*16+row], b[row*ldb+p]; got != want {
						t.Fatalf("%s kb=%d: d[%d*16+%d] = %v, want %v", impl, kb, p, row, got, want)
					}
				}
			}
			for i := 16 * kb; i < len(d); i++ {
				if d[i] != sentinel {
					t.Fatalf("%s kb=%d: guard d[%d] overwritten", impl, kb, i)
				}
			}
		}
	})
}

// TestPackBT16Stride checks the small-M path's transposer (slicedNN's
// packT16, writing rows ldd floats apart) against d[p*ldd+r] = b[r*ldb+p],
// with the floats between and after the rows untouched.
func TestPackBT16Stride(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	ForEachImpl(func(impl string) {
		s, ok := slicedKernels[impl]
		if !ok || s.packT16 == nil {
			t.Logf("%s: no strided transposer", impl)
			return
		}
		for _, ldd := range []int{16, 17, 32, 64, 100} {
			for kb := 1; kb <= 41; kb++ {
				ldb := kb + kb%3
				b := randSlice(r, 15*ldb+kb)
				d := make([]float32, kb*ldd+8)
				for i := range d {
					d[i] = sentinel
				}
				s.packT16(d[1:], ldd, b, ldb, kb)
				for i, v := range d {
					want := float32(sentinel)
					if p, row := (i-1)/ldd, (i-1)%ldd; i >= 1 && p < kb && row < 16 {
						want = b[row*ldb+p]
					}
					if v != want {
						t.Fatalf("%s ldd=%d kb=%d: d[%d] = %v, want %v", impl, ldd, kb, i, v, want)
					}
				}
			}
		}
	})
}
