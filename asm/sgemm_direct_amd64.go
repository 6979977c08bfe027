//go:build !purego

package asm

// sgemmDirectAVX2 is the AVX2 directFunc: the 6×16 tile in twelve
// accumulators, A broadcast from its six rows and B read in place.
//
//go:noescape
func sgemmDirectAVX2(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rowSkip, colSkip, colEnd int)
