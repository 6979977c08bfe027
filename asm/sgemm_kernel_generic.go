package asm

// Generic micro-kernel tile size. 4×4 scalar accumulators fit the 16
// floating-point registers of amd64 (and leave room on arm64's 32).
const (
	genericMR = 4
	genericNR = 4
)

// sgemmKernelGeneric is the pure-Go micro-kernel: for a full mr×nr tile of C
// (row stride ldc) it adds A·B, where a is a packed A panel (k groups of mr
// floats, alpha already applied) and b a packed B panel (k groups of nr
// floats). It is the model for the assembly kernels.
func sgemmKernelGeneric(mr, nr, k int, a, b, c []float32, ldc int) {
	if mr == 4 && nr == 4 {
		sgemmKernel4x4(k, a, b, c, ldc)
		return
	}
	a = a[:k*mr]
	b = b[:k*nr]
	for i := range mr {
		ci := c[i*ldc : i*ldc+nr]
		for p := range k {
			av := a[p*mr+i]
			bp := b[p*nr : p*nr+nr]
			for j, bv := range bp {
				ci[j] += av * bv
			}
		}
	}
}

// sgemmKernel4x4 is sgemmKernelGeneric for mr = nr = 4 with the tile held in
// local variables (registers).
func sgemmKernel4x4(k int, a, b, c []float32, ldc int) {
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	var c20, c21, c22, c23, c30, c31, c32, c33 float32
	a = a[:4*k]
	b = b[:4*k]
	for len(a) >= 4 && len(b) >= 4 {
		a0, a1, a2, a3 := a[0], a[1], a[2], a[3]
		b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
		a = a[4:]
		b = b[4:]
	}
	r := c[0:4:4]
	r[0] += c00
	r[1] += c01
	r[2] += c02
	r[3] += c03
	r = c[ldc : ldc+4 : ldc+4]
	r[0] += c10
	r[1] += c11
	r[2] += c12
	r[3] += c13
	r = c[2*ldc : 2*ldc+4 : 2*ldc+4]
	r[0] += c20
	r[1] += c21
	r[2] += c22
	r[3] += c23
	r = c[3*ldc : 3*ldc+4 : 3*ldc+4]
	r[0] += c30
	r[1] += c31
	r[2] += c32
	r[3] += c33
}
