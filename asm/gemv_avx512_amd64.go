//go:build !purego

package asm

// gemvDotNT4AVX512 is gemvDotNT4AVX2 with 16-float steps
// (gemv_avx512_amd64.s):
//
//	for r := range 4 {
//		for p := range k {
//			c[r] += a[p] * w[r*ldw+p]
//		}
//	}
//
//go:noescape
func gemvDotNT4AVX512(k int, a, w *float32, ldw int, c *float32)

// gemvNTAVX512 is gemvNTAVX2 with the AVX-512 four-row dot kernel.
func gemvNTAVX512(m, n, k int, a, w []float32, ldw int, c []float32, ldc int) {
	gemvNTDot4(gemvDotNT4AVX512, m, n, k, a, w, ldw, c, ldc)
}
