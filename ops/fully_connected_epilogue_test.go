package ops

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// TestFusedFullyConnectedReLUCancellable checks that a fused
// FullyConnected+ReLU gives the same bits whether the product runs the
// bias and ReLU itself (not cancellable), in cancellable blocks of rows,
// or in blocks of rows and columns finished after, with and without bias.
func TestFusedFullyConnectedReLUCancellable(t *testing.T) {
	defer func(v int) { sgemmChunkFlops = v }(sgemmChunkFlops)
	rng := rand.New(rand.NewPCG(7, 8))
	const m, k, h = 150, 70, 90
	x, _ := tensor.New(tensor.Float32, m, k)
	w, _ := tensor.New(tensor.Float32, h, k)
	b, _ := tensor.New(tensor.Float32, h)
	for _, tt := range []*tensor.Tensor{x, w, b} {
		for i := range tt.Float32s() {
			tt.Float32s()[i] = rng.Float32() - 0.5
		}
	}
	fc, _ := Lookup("FullyConnected")
	for _, noBias := range []bool{false, true} {
		t.Run(fmt.Sprintf("noBias=%v", noBias), func(t *testing.T) {
			op, fp, err := NewFused(fc, &FullyConnectedParam{NumHidden: h, NoBias: noBias, Flatten: true}, Epilogue{Act: EpilogueReLU})
			if err != nil {
				t.Fatal(err)
			}
			in := []*tensor.Tensor{x, w}
			if !noBias {
				in = append(in, b)
			}
			run := func(ctx *Ctx) []float32 {
				y, _ := tensor.New(tensor.Float32, m, h)
				if err := op.Forward(ctx, fp, in, []*tensor.Tensor{y}); err != nil {
					t.Fatal(err)
				}
				return y.Float32s()
			}
			sgemmChunkFlops = 1 << 24
			want := run(&Ctx{Threads: 2})
			cctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			// Blocks of 64 rows and more (2·64·h·k is 6 chunks), then
			// blocks of rows and columns finished after.
			for _, chunk := range []int{2 * 64 * h * k / 6, 1 << 10} {
				sgemmChunkFlops = chunk
				got := run(&Ctx{Threads: 2, Context: cctx})
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("chunk %d: y[%d] = %g cancellable, %g not", chunk, i, got[i], want[i])
					}
				}
			}
			neg := 0
			for i := range want {
				if want[i] == 0 {
					neg++
				}
			}
			if neg == 0 {
				t.Fatal("ReLU never clamped: the test does not exercise it")
			}
		})
	}
}
