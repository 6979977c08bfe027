package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSoftmaxRowsMatchesSoftmax checks SoftmaxRows against Softmax on each row, bit for
// bit, under every implementation the CPU runs: every row length 1..20
// (the AVX-512 one-call kernel covers n ≤ 16), 0..5 rows plus a partial
// row that must stay untouched, two temperatures, rows holding NaN, ±Inf,
// −0, huge and tiny values, and rows spread over 120 so that many results
// are subnormal (the AVX-512 kernel scales those rows another way),
// unaligned; out of place and in place (which runs through a scratch
// buffer, also over several of its blocks, allocation-free).
func TestSoftmaxRowsMatchesSoftmax(t *testing.T) {
	softmaxAllocs := make([]float32, 10000)
	prev := Impl()
	defer func() { _ = SetImpl(prev) }()
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.Copysign(0, -1)), 0, 3e38, -3e38, 1e-40, 88, -104}
	for _, impl := range Impls() {
		if err := SetImpl(impl); err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(71, 72))
		for n := 1; n <= 20; n++ {
			for rows := 0; rows <= 9; rows++ {
				for _, temp := range []float32{1, 0.7} {
					x := make([]float32, 1+rows*n+n/2)[1:] // unaligned, a partial row
					for i := range x {
						x[i] = float32(r.NormFloat64() * 8)
						if r.IntN(7) == 0 {
							x[i] = special[r.IntN(len(special))]
						}
					}
					if r.IntN(2) == 0 { // spread rows: subnormal and zero results
						for i := range x {
							x[i] = float32(r.Float64()*120 - 110)
						}
					}
					got := make([]float32, len(x))
					for i := range got {
						got[i] = sentinel
					}
					want := make([]float32, rows*n)
					for lo := 0; lo < len(want); lo += n {
						Softmax(want[lo:lo+n], x[lo:lo+n], temp)
					}
					SoftmaxRows(got, x, n, temp)
					what := fmt.Sprintf("%s n=%d rows=%d t=%v", impl, n, rows, temp)
					for i, w := range want {
						if math.Float32bits(got[i]) != math.Float32bits(w) {
							t.Fatalf("%s: [%d] = %v (%#x), Softmax gives %v (%#x); row %v", what, i, got[i],
								math.Float32bits(got[i]), w, math.Float32bits(w), x[i/n*n:i/n*n+n])
						}
					}
					for i := len(want); i < len(got); i++ {
						if got[i] != sentinel {
							t.Fatalf("%s: [%d] past the whole rows written", what, i)
						}
					}
					// In place (through the scratch buffer): the same bits,
					// the partial row untouched.
					in := append([]float32(nil), x...)
					SoftmaxRows(in, in, n, temp)
					for i, w := range want {
						if math.Float32bits(in[i]) != math.Float32bits(w) {
							t.Fatalf("%s in place: [%d] = %v, Softmax gives %v", what, i, in[i], w)
						}
					}
					for i := len(want); i < len(in); i++ {
						if math.Float32bits(in[i]) != math.Float32bits(x[i]) {
							t.Fatalf("%s in place: [%d] past the whole rows written", what, i)
						}
					}
				}
			}
		}
		// In place over several scratch blocks (4096/n rows each).
		for _, n := range []int{3, 10, 100} {
			x := make([]float32, 9001/n*n+1)[1:]
			for i := range x {
				x[i] = float32(r.NormFloat64() * 30)
			}
			want := make([]float32, len(x))
			SoftmaxRows(want, x, n, 1)
			SoftmaxRows(x, x, n, 1)
			for i := range want {
				if math.Float32bits(x[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s n=%d in place, %d rows: [%d] = %v, out of place %v", impl, n, len(x)/n, i, x[i], want[i])
				}
			}
		}
	}
	if n := testing.AllocsPerRun(10, func() { SoftmaxRows(softmaxAllocs, softmaxAllocs, 10, 1) }); n != 0 {
		t.Errorf("SoftmaxRows in place: %v allocations per call", n)
	}
	defer func() {
		if recover() == nil {
			t.Error("SoftmaxRows with n = 0 did not panic")
		}
	}()
	SoftmaxRows(nil, nil, 0, 1)
}
