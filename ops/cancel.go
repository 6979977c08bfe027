package ops

import (
	"github.com/mxgo/mxgo/asm"
)

// Err returns the error of the call's context (Ctx.Context) once it is
// cancelled or past its deadline, else nil; also nil for a nil Ctx or
// Context. Long kernels call it at block boundaries (between samples,
// channels or SGEMM blocks) and return its error, so a cancelled Predict
// stops within milliseconds instead of finishing the operator.
func (c *Ctx) Err() error {
	if c == nil || c.Context == nil {
		return nil
	}
	done := c.Context.Done()
	if done == nil {
		return nil
	}
	select {
	case <-done:
		return c.Context.Err()
	default:
		return nil
	}
}

// cancellable reports whether the call can be cancelled at all (its
// context has a Done channel), so kernels take their chunked, checking
// paths only then.
func (c *Ctx) cancellable() bool {
	return c != nil && c.Context != nil && c.Context.Done() != nil
}

// sgemmChunkFlops bounds the work between two cancellation checks of
// sgemmCtx: 2^24 flops, well under a millisecond on one core
// (a variable so tests can force small chunks).
var sgemmChunkFlops = 1 << 24

// sgemmCtx is asm.SgemmThreads that checks ctx for cancellation between
// blocks of about sgemmChunkFlops: when the call is cancellable and the
// product is large, C is computed in column and row blocks, each a
// separate SGEMM call. k is never split, so every element of C is summed
// in the same order as by one call (asm.Sgemm's rounding does not depend
// on m or n: outputs stay batch-invariant); a block may therefore exceed
// the budget when k is large. It returns ctx's error as soon as a check
// sees it (C is then partly written). With an uncancellable context it is
// exactly one SGEMM call.
func sgemmCtx(ctx *Ctx, threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int,
	b []float32, ldb int, beta float32, c []float32, ldc int) error {
	if !ctx.cancellable() || workspaceSize(2, m, n, k) <= sgemmChunkFlops {
		asm.SgemmThreads(threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return ctx.Err()
	}
	// Blocks: keep n blocks at least 256 wide and m blocks 64 tall (SGEMM
	// efficiency) and shrink them to the budget where they can.
	nb := min(n, max(256, sgemmChunkFlops/max(2*m*k, 1)))
	mb := min(m, max(64, sgemmChunkFlops/max(2*nb*k, 1)))
	for j := 0; j < n; j += nb {
		cn := min(nb, n-j)
		for i := 0; i < m; i += mb {
			if err := ctx.Err(); err != nil {
				return err
			}
			cm := min(mb, m-i)
			ao, bo := i*lda, j
			if transA { // A stored k×m
				ao = i
			}
			if transB { // B stored n×k
				bo = j * ldb
			}
			asm.SgemmThreads(threads, transA, transB, cm, cn, k, alpha, a[ao:], lda, b[bo:], ldb, beta, c[i*ldc+j:], ldc)
		}
	}
	return ctx.Err()
}

// cancelChunk is the work (inner-loop iterations of a few nanoseconds at
// most) between two context checks of a cancelCheck: 2^16 units, tens of
// microseconds, so the check costs nothing measurable and a cancelled call
// stops well within a millisecond of the check that sees it.
const cancelChunk = 1 << 16

// cancelCheck amortises Ctx.Err over a kernel's loops: tick(work) adds the
// work done since the last call and checks the context once cancelChunk
// units have accumulated. Each goroutine keeps its own cancelCheck; ctx
// may be nil (never cancelled).
type cancelCheck struct {
	ctx *Ctx
	acc int
}

// tick records work units and returns the context's error when a check
// is due and sees it cancelled.
func (c *cancelCheck) tick(work int) error {
	c.acc += work
	if c.acc < cancelChunk {
		return nil
	}
	c.acc = 0
	return c.ctx.Err()
}

// unaryCtx runs the elementwise kernel f(dst, x) in chunks of cancelChunk
// elements with a context check before each, or in one call when the call
// cannot be cancelled. Elementwise kernels compute each element on its own,
// identically in their vector and scalar paths (batch invariance requires
// it), so chunking does not change any result.
func unaryCtx(ctx *Ctx, f func(dst, x []float32), dst, x []float32) error {
	if !ctx.cancellable() {
		f(dst, x)
		return nil
	}
	for lo := 0; lo < len(dst); lo += cancelChunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(len(dst), lo+cancelChunk)
		f(dst[lo:hi], x[lo:hi])
	}
	return ctx.Err()
}

// binaryCtx is unaryCtx for an elementwise kernel of two operands.
func binaryCtx(ctx *Ctx, f func(dst, x, y []float32), dst, x, y []float32) error {
	if !ctx.cancellable() {
		f(dst, x, y)
		return nil
	}
	for lo := 0; lo < len(dst); lo += cancelChunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(len(dst), lo+cancelChunk)
		f(dst[lo:hi], x[lo:hi], y[lo:hi])
	}
	return ctx.Err()
}
