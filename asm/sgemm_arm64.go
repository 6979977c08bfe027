//go:build !purego

package asm

// Register tile of the NEON SGEMM micro-kernel: 8 rows of A by 12 columns
// of B, held in 24 of the 32 128-bit vector registers as FMA accumulators.
const (
	neonMR = 8
	neonNR = 12
)

// sgemmKernelNEON computes C += A*B for one full neonMR x neonNR tile.
//
// a is a packed A panel of k groups of neonMR floats (column p of the tile's
// rows), b a packed B panel of k groups of neonNR floats (row p of the tile's
// columns), and c points at C[i][j] of the tile with row stride ldc floats.
// The reference loop is
//
//	for p := 0; p < k; p++ {
//		for i := 0; i < neonMR; i++ {
//			for j := 0; j < neonNR; j++ {
//				c[i*ldc+j] += a[p*neonMR+i] * b[p*neonNR+j]
//			}
//		}
//	}
//
// with each update a fused multiply-add. k may be 0 (C is left unchanged).
//
//go:noescape
func sgemmKernelNEON(k int, a, b, c *float32, ldc int)
