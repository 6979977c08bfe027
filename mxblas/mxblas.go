// Package mxblas makes mxgo's SIMD kernels available to gonum: Implementation
// satisfies gonum's blas.Float32 by embedding gonum's own pure-Go
// implementation and replacing the routines mxgo has kernels for (Sgemm,
// Sgemv, Sdot, Saxpy, Sscal) with the asm package's AVX-512/AVX2/NEON code.
// Every other routine, and every call those kernels do not cover (strided
// vectors, invalid arguments, which then panic with gonum's messages), is
// gonum's, and so are the tiniest products (m·n·k ≤ 64), where gonum's loops
// are quicker than a kernel call. On Zen 4 (`go test -bench . ./mxblas`,
// GFLOP/s, gonum → mxblas): Sgemm 64³–1024³ 8–10× faster, Sgemv 512×784
// 20.5 → 72 (NoTrans) and 22 → 53 (Trans), 1000×4096 14–17 → 50–61.
//
//	blas32.Use(mxblas.Implementation{}) // speeds up all gonum float32 code
//
// General and FromGeneral convert between tensor.Tensor and blas32.General
// without copying.
package mxblas

import (
	"fmt"
	"unsafe"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/internal/parallel"
	"github.com/mxgo/mxgo/tensor"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/gonum"
)

// Implementation is gonum's blas.Float32 with mxgo's kernels for the
// routines above. The zero value is ready to use and safe for concurrent
// use. Sgemm, and Sgemv on large matrices, use asm.Threads() goroutines.
type Implementation struct {
	gonum.Implementation
}

var _ blas.Float32 = Implementation{}

func trans(t blas.Transpose) (bool, bool) {
	switch t {
	case blas.NoTrans:
		return false, true
	case blas.Trans, blas.ConjTrans:
		return true, true
	}
	return false, false
}

// gemmTiny is the largest m·n·k that Sgemm leaves to gonum's loops (Zen 4,
// 4×4×4: gonum 117 ns, asm.Sgemm 130 ns; 8×8×8: 397 and 166 ns).
const gemmTiny = 64

// Sgemm computes C = alpha·op(A)·op(B) + beta·C (row-major, as gonum).
func (impl Implementation) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, okA := trans(tA)
	tb, okB := trans(tB)
	if !okA || !okB || alpha == 0 || m*n*k <= gemmTiny || !gemmArgsOK(ta, tb, m, n, k, a, lda, b, ldb, c, ldc) {
		// gonum panics on bad arguments; alpha == 0 keeps gonum's exact
		// semantics (with beta == 1 it returns without reading A and B);
		// gonum's loops win on the tiniest products.
		impl.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	asm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmArgsOK reports whether the arguments are valid as gonum checks them.
func gemmArgsOK(ta, tb bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) bool {
	if m < 0 || n < 0 || k < 0 || ldc < max(1, n) {
		return false
	}
	ar, ac := m, k
	if ta {
		ar, ac = k, m
	}
	br, bc := k, n
	if tb {
		br, bc = n, k
	}
	if lda < max(1, ac) || ldb < max(1, bc) {
		return false
	}
	fits := func(rows, cols, ld, have int) bool {
		return rows == 0 || cols == 0 || have >= (rows-1)*ld+cols
	}
	return fits(ar, ac, lda, len(a)) && fits(br, bc, ldb, len(b)) && fits(m, n, ldc, len(c))
}

// Sgemv computes y = alpha·op(A)·x + beta·y for contiguous x and y: a
// vector dot product per row of A (NoTrans), or yᵀ = xᵀ·A through Sgemm's
// one-row path, which reads A's rows in place (Trans). A is streamed once
// either way.
func (impl Implementation) Sgemv(tA blas.Transpose, m, n int, alpha float32, a []float32, lda int, x []float32, incX int, beta float32, y []float32, incY int) {
	ta, ok := trans(tA)
	rows, cols := m, n // op(A) is rows×cols
	if ta {
		rows, cols = n, m
	}
	if !ok || incX != 1 || incY != 1 || alpha == 0 || m < 1 || n < 1 || lda < max(1, n) ||
		len(a) < (m-1)*lda+n || len(x) < cols || len(y) < rows {
		impl.Implementation.Sgemv(tA, m, n, alpha, a, lda, x, incX, beta, y, incY)
		return
	}
	y = y[:rows]
	if !ta {
		// y[i] = alpha·(A's row i · x) + beta·y[i]: a dot product per
		// row, the rows split over asm.Threads() goroutines when A is
		// large.
		threads := 1
		if m*n >= gemvSplit {
			threads = min(asm.Threads(), m/16)
		}
		if threads <= 1 {
			g := gemvJob{threads: 1, n: n, lda: lda, alpha: alpha, beta: beta, a: a, x: x[:n], y: y}
			g.Run(0)
			return
		}
		g := gemvJobs.Get()
		*g = gemvJob{threads: threads, n: n, lda: lda, alpha: alpha, beta: beta, a: a, x: x[:n], y: y}
		parallel.RunWG(g.threads, g, &g.join)
		g.a, g.x, g.y = nil, nil, nil
		gemvJobs.Put(g)
		return
	}
	// yᵀ = alpha·xᵀ·A + beta·yᵀ: a one-row product, A's rows read in place.
	asm.Sgemm(false, false, 1, n, m, alpha, x, m, a, lda, beta, y, n)
}

// gemvSplit is the smallest m·n for which a NoTrans Sgemv splits A's rows
// over goroutines.
const gemvSplit = 1 << 17

// gemvJob is one NoTrans Sgemv, its rows split over goroutines.
type gemvJob struct {
	threads, n, lda int
	alpha, beta     float32
	a, x, y         []float32
	join            parallel.Join
}

var gemvJobs parallel.FreeList[gemvJob]

// Run computes goroutine tid's share of y.
func (g *gemvJob) Run(tid int) {
	m := len(g.y)
	for i := m * tid / g.threads; i < m*(tid+1)/g.threads; i++ {
		d := g.alpha * asm.Dot(g.a[i*g.lda:i*g.lda+g.n], g.x)
		if g.beta != 0 {
			d += g.beta * g.y[i]
		}
		g.y[i] = d
	}
}

// Sdot returns Σ x[i]·y[i].
func (impl Implementation) Sdot(n int, x []float32, incX int, y []float32, incY int) float32 {
	if incX != 1 || incY != 1 || n < 0 || len(x) < n || len(y) < n {
		return impl.Implementation.Sdot(n, x, incX, y, incY)
	}
	return asm.Dot(x[:n], y[:n])
}

// Saxpy computes y += alpha·x.
func (impl Implementation) Saxpy(n int, alpha float32, x []float32, incX int, y []float32, incY int) {
	if incX != 1 || incY != 1 || n < 1 || len(x) < n || len(y) < n {
		impl.Implementation.Saxpy(n, alpha, x, incX, y, incY)
		return
	}
	if alpha != 0 {
		asm.Axpy(y[:n], x[:n], alpha)
	}
}

// Sscal computes x = alpha·x.
func (impl Implementation) Sscal(n int, alpha float32, x []float32, incX int) {
	if incX != 1 || n < 1 || len(x) < n {
		impl.Implementation.Sscal(n, alpha, x, incX)
		return
	}
	asm.Scale(x[:n], x[:n], alpha)
}

// General returns a 2-D float32 tensor as a blas32.General sharing its
// storage (row-major, Stride = columns).
func General(t *tensor.Tensor) (blas32.General, error) {
	if t.DType() != tensor.Float32 || t.NDim() != 2 {
		return blas32.General{}, fmt.Errorf("mxblas.General: need a 2-D float32 tensor, have %s", t)
	}
	data, err := tensor.Data[float32](t)
	if err != nil {
		return blas32.General{}, err
	}
	return blas32.General{Rows: t.Dim(0), Cols: t.Dim(1), Stride: t.Dim(1), Data: data}, nil
}

// FromGeneral returns g as a (Rows, Cols) float32 tensor sharing g.Data. g
// must be contiguous (Stride == Cols, or a single row).
func FromGeneral(g blas32.General) (*tensor.Tensor, error) {
	if g.Rows < 0 || g.Cols < 0 || (g.Rows > 1 && g.Stride != g.Cols) {
		return nil, fmt.Errorf("mxblas.FromGeneral: %d×%d with stride %d is not contiguous", g.Rows, g.Cols, g.Stride)
	}
	n, err := tensor.NumElements([]int{g.Rows, g.Cols}, 4)
	if err != nil || len(g.Data) < n {
		return nil, fmt.Errorf("mxblas.FromGeneral: %d×%d needs %d elements, data has %d", g.Rows, g.Cols, n, len(g.Data))
	}
	var b []byte
	if n > 0 {
		b = unsafe.Slice((*byte)(unsafe.Pointer(&g.Data[0])), 4*n)
	}
	return tensor.FromBytes(tensor.Float32, []int{g.Rows, g.Cols}, b)
}
