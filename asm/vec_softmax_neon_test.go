//go:build arm64 && !purego

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// neonSoftmaxRef returns softmax and log-softmax of x at temperature t in
// float64.
func neonSoftmaxRef(x []float32, t float32) (sm, lsm []float64) {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, float64(v))
	}
	var s float64
	for _, v := range x {
		s += math.Exp((float64(v) - m) / float64(t))
	}
	for _, v := range x {
		z := (float64(v) - m) / float64(t)
		sm = append(sm, math.Exp(z)/s)
		lsm = append(lsm, z-math.Log(s))
	}
	return sm, lsm
}

// TestSoftmaxNEON checks Softmax and LogSoftmax rows against float64 math
// (relative error for softmax, absolute error scaled by the magnitudes
// involved for log-softmax), out of place with guard bands and in place.
func TestSoftmaxNEON(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, temp := range []float32{1, 0.5, 3} {
		for _, n := range neonLengths {
			for _, off := range []int{0, 3} {
				x := neonInput(rng, n+off, 8, false)[off:]
				sm, lsm := neonSoftmaxRef(x, temp)
				relTol := (8 + float64(n)/8) * 0x1p-24
				for _, inPlace := range []bool{false, true} {
					for _, log := range []bool{false, true} {
						name := fmt.Sprintf("T=%v n=%d off=%d inPlace=%v log=%v", temp, n, off, inPlace, log)
						var dst, src []float32
						check := func(*testing.T) {}
						if inPlace {
							dst = append([]float32(nil), x...)
							src = dst
						} else {
							dst, check = neonGuarded(n, off)
							src = x
						}
						if log {
							logSoftmaxNEON(dst, src, temp)
						} else {
							softmaxNEON(dst, src, temp)
						}
						check(t)
						for i, got := range dst {
							want, tol := sm[i], relTol*sm[i]
							if log {
								want = lsm[i]
								tol = relTol * (1 + math.Abs(lsm[i]))
							}
							if math.Abs(float64(got)-want) > tol {
								t.Fatalf("%s: element %d = %v, want %v (tol %g)", name, i, got, want, tol)
							}
						}
					}
				}
			}
		}
	}
}

// TestSoftmaxNEONSpecials: a NaN in the row makes every output NaN; -Inf
// entries get probability 0 (log-probability -Inf).
func TestSoftmaxNEONSpecials(t *testing.T) {
	x := []float32{1, 2, float32(math.NaN()), 0, 5}
	dst := make([]float32, len(x))
	softmaxNEON(dst, x, 1)
	for i, v := range dst {
		if v == v {
			t.Errorf("softmax with NaN: element %d = %v, want NaN", i, v)
		}
	}
	x = []float32{0, float32(math.Inf(-1)), 0, 0, 0, float32(math.Inf(-1))}
	dst = make([]float32, len(x))
	softmaxNEON(dst, x, 1)
	lsm := make([]float32, len(x))
	logSoftmaxNEON(lsm, x, 1)
	for i := range x {
		want, wantLog := float32(0.25), float32(-math.Log(4))
		if math.IsInf(float64(x[i]), -1) {
			want, wantLog = 0, float32(math.Inf(-1))
		}
		if dst[i] != want || lsm[i] != wantLog {
			t.Errorf("element %d: softmax %v log %v, want %v %v", i, dst[i], lsm[i], want, wantLog)
		}
	}
}
