//go:build !purego

package asm

// sgemmKernelAVX2 is the 6×16 AVX2+FMA micro-kernel: twelve 8-float
// accumulators hold the tile. It computes, for a full tile of C at c with
// row stride ldc,
//
//	for p := range k {
//		for i := range 6 {
//			for j := range 16 {
//				c[i*ldc+j] += a[p*6+i] * b[p*16+j]
//			}
//		}
//	}
//
// (the sums are formed in registers and added to C once).
//
//go:noescape
func sgemmKernelAVX2(k int, a, b, c *float32, ldc int)

// sgemmKernelAVX2Store is sgemmKernelAVX2 with "=" for "+=": it overwrites
// the tile without reading C (for beta = 0 on the first kc slice).
//
//go:noescape
func sgemmKernelAVX2Store(k int, a, b, c *float32, ldc int)
