//go:build !purego

package asm

// gemvNNChunk2AVX2 adds, for each of n32 32-column strips and m2 row pairs,
//
//	for i := range 2 * m2 {
//		for p := range kc {
//			for j := range 32 * n32 {
//				c[i*ldc+j] += a[i*lda+p] * b[p*ldb+j]
//			}
//		}
//	}
//
// strip by strip, so each kc×32 strip of b is in L1 for all row pairs.
//
//go:noescape
func gemvNNChunk2AVX2(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, n32, m2 int)
