//go:build !purego

package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmKernelNEON checks the micro-kernel against a plain Go loop with
// guard bands around C and a row stride wider than the tile.
func TestSgemmKernelNEON(t *testing.T) {
	const (
		mr, nr = neonMR, neonNR
		guard  = 37
		sent   = float32(-7777.5)
	)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{0, 1, 2, 3, 7, 64, 257} {
		for _, ldc := range []int{nr, nr + 5, 3*nr + 1} {
			t.Run(fmt.Sprintf("k=%d/ldc=%d", k, ldc), func(t *testing.T) {
				a := make([]float32, k*mr+1) // +1: a misaligned start below
				b := make([]float32, k*nr+1)
				for i := range a {
					a[i] = rng.Float32()*2 - 1
				}
				for i := range b {
					b[i] = rng.Float32()*2 - 1
				}
				// Odd offsets make the panels 4-byte but not 16-byte aligned.
				ap, bp := a[1:], b[1:]
				buf := make([]float32, guard+(mr-1)*ldc+nr+guard)
				for i := range buf {
					buf[i] = sent
				}
				c := buf[guard:]
				want := make([]float64, mr*nr)
				for i := 0; i < mr; i++ {
					for j := 0; j < nr; j++ {
						v := rng.Float32()*2 - 1
						c[i*ldc+j] = v
						want[i*nr+j] = float64(v)
					}
				}
				for p := 0; p < k; p++ {
					for i := 0; i < mr; i++ {
						for j := 0; j < nr; j++ {
							want[i*nr+j] += float64(ap[p*mr+i]) * float64(bp[p*nr+j])
						}
					}
				}
				var a0, b0 *float32
				if k > 0 {
					a0, b0 = &ap[0], &bp[0]
				} else {
					a0, b0 = &a[0], &b[0]
				}
				sgemmKernelNEON(k, a0, b0, &c[0], ldc)
				tol := 1e-6 * float64(k+1)
				for idx := range buf {
					off := idx - guard
					i, j := off/ldc, off%ldc
					inTile := off >= 0 && i < mr && j < nr
					if !inTile {
						if buf[idx] != sent {
							t.Fatalf("guard/gap element %d overwritten: %v", off, buf[idx])
						}
						continue
					}
					if got, w := float64(buf[idx]), want[i*nr+j]; math.Abs(got-w) > tol {
						t.Fatalf("C[%d][%d] = %v, want %v (tol %g)", i, j, got, w, tol)
					}
				}
			})
		}
	}
}

// TestSgemmKernelNEONSpecials checks that NaN and Inf in the panels reach
// exactly the C elements they should.
func TestSgemmKernelNEONSpecials(t *testing.T) {
	const mr, nr, k, ldc = neonMR, neonNR, 5, neonNR + 3
	a := make([]float32, k*mr)
	b := make([]float32, k*nr)
	for i := range a {
		a[i] = 1
	}
	for i := range b {
		b[i] = 0.5
	}
	a[2*mr+3] = float32(math.NaN())   // row 3
	b[4*nr+10] = float32(math.Inf(1)) // column 10
	c := make([]float32, mr*ldc)
	sgemmKernelNEON(k, &a[0], &b[0], &c[0], ldc)
	for i := 0; i < mr; i++ {
		for j := 0; j < ldc; j++ {
			got := c[i*ldc+j]
			switch {
			case j >= nr:
				if got != 0 {
					t.Errorf("gap C[%d][%d] = %v, want untouched 0", i, j, got)
				}
			case i == 3:
				if !math.IsNaN(float64(got)) {
					t.Errorf("C[%d][%d] = %v, want NaN", i, j, got)
				}
			case j == 10:
				if !math.IsInf(float64(got), 1) {
					t.Errorf("C[%d][%d] = %v, want +Inf", i, j, got)
				}
			default:
				if got != 2.5 {
					t.Errorf("C[%d][%d] = %v, want 2.5", i, j, got)
				}
			}
		}
	}
}

// BenchmarkSgemmKernelNEON times the micro-kernel alone on L1-resident
// panels (under qemu the numbers only show relative changes).
func BenchmarkSgemmKernelNEON(b *testing.B) {
	for _, k := range []int{64, 256} {
		b.Run(fmt.Sprintf("k=%d/impl=neon", k), func(b *testing.B) {
			a := make([]float32, k*neonMR)
			bb := make([]float32, k*neonNR)
			c := make([]float32, neonMR*neonNR)
			b.ReportAllocs()
			for b.Loop() {
				sgemmKernelNEON(k, &a[0], &bb[0], &c[0], neonNR)
			}
			flops := 2 * float64(k*neonMR*neonNR) * float64(b.N)
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
