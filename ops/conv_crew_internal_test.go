package ops

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/mxgo/mxgo/internal/parallel"
	"github.com/mxgo/mxgo/tensor"
)

// TestConvCrewSameBits runs convolutions on one goroutine of a batch
// split's crew while another member is idle and helps (claiming work
// units, building the planes of its samples in its own workspace): the
// outputs must be the bits of the same convolution run alone, for the
// implicit-GEMM layouts (3×3 stride 1 and 2, pointwise read in place,
// phase rows built per row tile by the goroutine claiming it) and 3×3
// depthwise (blocks of 16 planes, lanes and rows), a batch of 3.
func TestConvCrewSameBits(t *testing.T) {
	r := rand.New(rand.NewPCG(101, 102))
	for _, c := range []engineCase{
		{16, 12, 12, 16, 3, 1, 1, 1}, {8, 15, 17, 12, 3, 2, 1, 1}, {24, 9, 9, 32, 1, 1, 0, 1}, {16, 32, 32, 16, 3, 1, 1, 1},
		{3, 101, 121, 20, 3, 2, 1, 1}, {4, 61, 201, 6, 3, 2, 0, 1}, // stride 2, odd: row tiles built lazily by whoever claims them
		{40, 7, 7, 40, 3, 1, 1, 40}, {32, 14, 14, 32, 3, 2, 1, 32}, {24, 20, 20, 24, 3, 1, 1, 24}, // depthwise: lanes and rows
	} {
		p := engineParams(t, c)
		x, w, b := engineRand(r, 3, c.c, c.h, c.w), engineRand(r, c.f, c.c/c.groups, c.k, c.k), engineRand(r, c.f)
		in := []*tensor.Tensor{x, w, b}
		want := engineRun(t, p, in, 1)
		shapes := []Shape{x.Shape(), w.Shape(), b.Shape()}
		ws := convWorkspace(p, shapes)
		var crew parallel.Crew
		for round := range 3 {
			crew.Reset(2)
			done := make(chan struct{})
			go func() {
				crew.Member(1).Done(make([]float32, ws))
				close(done)
			}()
			for !crew.Member(0).Idle() { // the helper is on its way
				runtime.Gosched()
			}
			y, _ := tensor.New(tensor.Float32, want.Shape()...)
			ctx := &Ctx{Threads: 1, Scratch: make([]float32, ws), Crew: crew.Member(0)}
			err := convolutionForward(ctx, p, in, []*tensor.Tensor{y})
			crew.Member(0).Done(nil)
			<-done
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range y.Float32s() {
				if math.Float32bits(v) != math.Float32bits(want.Float32s()[i]) {
					t.Fatalf("%+v round %d: element %d is %v with a helper, %v alone", c, round, i, v, want.Float32s()[i])
				}
			}
		}
	}
}
