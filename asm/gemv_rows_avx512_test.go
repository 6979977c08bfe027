//go:build amd64 && !purego

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestGemvNNRowsAVX512 checks the small-M row-block kernels bit for bit
// against the two-row chunk kernel (same chains), on every kc from 1 to 40
// and larger ones, 1–3 strips, unaligned slices and padded strides, with
// NaN guard bands around and between C's strips that must stay untouched.
func TestGemvNNRowsAVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(61, 62))
	kcs := []int{100, 196, 257}
	for kc := 1; kc <= 40; kc++ {
		kcs = append(kcs, kc)
	}
	for _, rows := range []int{8, 4} {
		kern := map[int]rowsFunc{8: gemvNNRows8AVX512, 4: gemvNNRows4AVX512}[rows]
		for _, kc := range kcs {
			for n32 := 1; n32 <= 3; n32++ {
				off := (kc + n32) % 4
				lda, ldb, ldc := kc+off, 64*n32+off, 64*n32+5
				a := randSlice(r, off+rows*lda)[off:]
				b := randSlice(r, off+kc*ldb)[off:]
				// C with a guard band of 7 NaNs before, padding columns
				// past the strips (NaN), and a band after.
				const g = 7
				n := 32 * n32
				c := make([]float32, g+rows*ldc+g+off)[off:]
				for i := range c {
					c[i] = float32(math.NaN())
				}
				cm := c[g : g+rows*ldc]
				for i := range rows {
					for j := range n {
						cm[i*ldc+j] = r.Float32()
					}
				}
				want := append([]float32(nil), c...)
				wm := want[g : g+rows*ldc]
				// Pairs of rows through chunk2 on 64-column strips, the
				// last 32 columns (n32 odd) through a padded copy.
				for i := 0; i < rows; i += 2 {
					n64 := n / 64
					if n64 > 0 {
						gemvNNChunk2AVX512(kc, &a[i*lda], lda, &b[0], ldb, &wm[i*ldc], ldc, n64, 1)
					}
					if n%64 != 0 {
						tb := make([]float32, kc*64)
						for p := range kc {
							copy(tb[p*64:p*64+32], b[p*ldb+n64*64:p*ldb+n])
						}
						tc := make([]float32, 2*64)
						copy(tc[:32], wm[i*ldc+n64*64:i*ldc+n])
						copy(tc[64:96], wm[(i+1)*ldc+n64*64:(i+1)*ldc+n])
						gemvNNChunk2AVX512(kc, &a[i*lda], lda, &tb[0], 64, &tc[0], 64, 1, 1)
						copy(wm[i*ldc+n64*64:i*ldc+n], tc[:32])
						copy(wm[(i+1)*ldc+n64*64:(i+1)*ldc+n], tc[64:96])
					}
				}
				kern(kc, &a[0], lda, &b[0], ldb, &cm[0], ldc, n32)
				name := fmt.Sprintf("rows=%d/kc=%d/n32=%d", rows, kc, n32)
				for i := range c {
					if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s: c[%d] = %g, want %g", name, i, c[i], want[i])
					}
				}
			}
		}
	}
}

// TestGemvNNRow1AVX512 checks the one-row kernels (128- and 64-column
// strips) bit for bit against the four-row kernel run on four copies of
// the row (lda = 0), with unaligned slices and a NaN guard band after C.
func TestGemvNNRow1AVX512(t *testing.T) {
	requireAVX512(t)
	r := rand.New(rand.NewPCG(63, 64))
	for _, width := range []int{128, 64} {
		kern := map[int]rowsFunc{128: gemvNNRows1x128AVX512, 64: gemvNNRows1x64AVX512}[width]
		for kc := 1; kc <= 70; kc += 3 {
			for ns := 1; ns <= 3; ns++ {
				off := (kc + ns) % 4
				n := width * ns
				ldb := n + 3
				a := randSlice(r, off+kc)[off:]
				b := randSlice(r, off+kc*ldb)[off:]
				c := randSlice(r, off+n+9)[off:]
				for j := n; j < len(c); j++ {
					c[j] = float32(math.NaN())
				}
				want := make([]float32, 4*n)
				copy(want, c[:n])
				gemvNNRows4AVX512(kc, &a[0], 0, &b[0], ldb, &want[0], n, n/32)
				want = append(want[:n], c[n:]...)
				kern(kc, &a[0], 0, &b[0], ldb, &c[0], 0, ns)
				for j := range c {
					if math.Float32bits(c[j]) != math.Float32bits(want[j]) {
						t.Fatalf("width=%d kc=%d strips=%d: c[%d] = %g, want %g", width, kc, ns, j, c[j], want[j])
					}
				}
			}
		}
	}
}
