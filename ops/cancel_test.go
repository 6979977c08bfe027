package ops

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/asm"
)

// TestSgemmCtxBlocks checks that the blocked, cancellable SGEMM path
// computes bit for bit the product of one SGEMM call, for every transpose
// combination, with blocks forced small so rows and columns are split.
func TestSgemmCtxBlocks(t *testing.T) {
	defer func(v int) { sgemmChunkFlops = v }(sgemmChunkFlops)
	sgemmChunkFlops = 1 << 10
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &Ctx{Threads: 2, Context: ctx}
	rng := rand.New(rand.NewPCG(1, 2))
	const m, n, k = 150, 600, 170
	for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		a := make([]float32, m*k)
		b := make([]float32, k*n)
		for i := range a {
			a[i] = rng.Float32() - 0.5
		}
		for i := range b {
			b[i] = rng.Float32() - 0.5
		}
		lda, ldb := k, n
		if tr[0] {
			lda = m
		}
		if tr[1] {
			ldb = k
		}
		ldc := n + 3
		want := make([]float32, m*ldc)
		got := make([]float32, m*ldc)
		for i := range want {
			want[i] = float32(i % 7)
			got[i] = want[i]
		}
		asm.SgemmThreads(1, tr[0], tr[1], m, n, k, 0.5, a, lda, b, ldb, 0.25, want, ldc)
		if err := sgemmCtx(c, 2, tr[0], tr[1], m, n, k, 0.5, a, lda, b, ldb, 0.25, got, ldc); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if math.Float32bits(want[i]) != math.Float32bits(got[i]) {
				t.Fatalf("trans %v: c[%d] = %g, want %g", tr, i, got[i], want[i])
			}
		}
	}
	cancel()
	if err := sgemmCtx(c, 1, false, false, m, n, k, 1, make([]float32, m*k), k, make([]float32, k*n), n, 0, make([]float32, m*n), n); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sgemmCtx returned %v", err)
	}
}
