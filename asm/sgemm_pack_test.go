package asm

import (
	"math/rand/v2"
	"testing"
)

// TestPackBT16 checks the selected transposed-B panel packer against the
// definition d[p*16+r] = b[r*ldb+p], with a guard band after the panel.
func TestPackBT16(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	ForEachImpl(func(impl string) {
		pack := packBT16
		if k, ok := sgemmKernels[impl]; ok && k.packBT16 != nil {
			pack = k.packBT16
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
