package asm

import "math"

// Max pooling kernels.

// poolImpl is the selected implementation for the pooling kernels.
var poolImpl = Generic

func init() {
	onSelect(func(impl string) { poolImpl = impl })
}

// MaxPool2x2S2 is 2×2 max pooling with stride 2 over whole windows: for
// r < rows and j < cols,
//
//	dst[r·ldd+j] = the first of the largest of src[2r·lds+2j],
//	               src[2r·lds+2j+1], src[(2r+1)·lds+2j], src[(2r+1)·lds+2j+1]
//
// in that (row-major) order, starting from −MaxFloat32 and taking an
// element only when it is larger: MXNet's max pooling loop, NaNs skipped
// (−MaxFloat32 when all four are NaN), the earlier of equal values (−0
// before +0) kept. One pass straight from the two input rows: the even and
// odd columns are split in registers. It reports false, doing nothing,
// when the selected implementation has no kernel (avx512 and avx2 have);
// it panics when rows or cols is negative, ldd < cols, lds < 2·cols, or a
// slice is shorter than the rows it covers.
func MaxPool2x2S2(dst []float32, ldd int, src []float32, lds, rows, cols int) bool {
	if rows < 0 || cols < 0 || ldd < cols || lds < 2*cols {
		panic("asm: MaxPool2x2S2: bad geometry")
	}
	if !maxPoolKernel(poolImpl) {
		return false
	}
	if rows == 0 || cols == 0 {
		return true
	}
	_ = dst[(rows-1)*ldd+cols-1]
	_ = src[(2*rows-1)*lds+2*cols-1]
	maxPool2x2S2(poolImpl, dst, ldd, src, lds, rows, cols)
	return true
}

// poolNegMax is −MaxFloat32, where a pooling window's maximum starts (the
// kernels' copy: maxPoolStart in pool_amd64.s).
const poolNegMax float32 = -math.MaxFloat32

// maxPool2x2S2Generic is MaxPool2x2S2 in Go (the reference in tests and
// the tail of kernels that leave one).
func maxPool2x2S2Generic(dst []float32, ldd int, src []float32, lds, rows, cols, j0 int) {
	for r := range rows {
		s0, s1, d := src[2*r*lds:], src[(2*r+1)*lds:], dst[r*ldd:]
		for j := j0; j < cols; j++ {
			m := poolNegMax
			for _, v := range [4]float32{s0[2*j], s0[2*j+1], s1[2*j], s1[2*j+1]} {
				if v > m {
					m = v
				}
			}
			d[j] = m
		}
	}
}
