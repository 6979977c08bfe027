package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// sentinel fills the guard bands around and between the rows of C; any
// change to it is an out-of-bounds write.
const sentinel = float32(-12345.678)

// gemmCase is one Sgemm call of the test grid.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	pad            int // extra stride beyond the row length
	nanC           bool
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%v/tB=%v/m=%d/n=%d/k=%d/alpha=%g/beta=%g/pad=%d/nanC=%v",
		tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.pad, tc.nanC)
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = r.Float32()*2 - 1
	}
	return s
}

// checkGemm runs one case with the selected implementation and compares it
// with sgemmReference.
func checkGemm(t *testing.T, r *rand.Rand, threads int, tc gemmCase) {
	t.Helper()
	m, n, k := tc.m, tc.n, tc.k
	ar, ac := m, k
	if tc.transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if tc.transB {
		br, bc = n, k
	}
	lda, ldb, ldc := ac+tc.pad, bc+tc.pad, n+tc.pad
	a := randSlice(r, max(ar*lda, 1))
	b := randSlice(r, max(br*ldb, 1))
	const guard = 19
	cAll := make([]float32, m*ldc+2*guard)
	for i := range cAll {
		cAll[i] = sentinel
	}
	c := cAll[guard : guard+m*ldc]
	for i := range m {
		for j := range n {
			if tc.nanC {
				c[i*ldc+j] = float32(math.NaN())
			} else {
				c[i*ldc+j] = r.Float32()*2 - 1
			}
		}
	}
	want := make([]float32, len(c))
	copy(want, c)
	sgemmReference(tc.transA, tc.transB, m, n, k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
	SgemmThreads(threads, tc.transA, tc.transB, m, n, k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
	for i := range guard {
		if cAll[i] != sentinel || cAll[len(cAll)-1-i] != sentinel {
			t.Fatalf("%v threads=%d: guard band overwritten", tc, threads)
		}
	}
	tol := 1e-5 * float64(k+2)
	for i := range m {
		for j := range ldc {
			got, w := c[i*ldc+j], want[i*ldc+j]
			if j >= n {
				if got != sentinel && !(tc.pad > 0 && got == w) {
					t.Fatalf("%v threads=%d: stride gap C[%d][%d] overwritten: %v", tc, threads, i, j, got)
				}
				continue
			}
			if math.IsNaN(float64(got)) || math.Abs(float64(got-w)) > tol*(1+math.Abs(float64(w))) {
				t.Fatalf("%v threads=%d: C[%d][%d] = %v, want %v", tc, threads, i, j, got, w)
			}
		}
	}
}

func TestSgemm(t *testing.T) {
	dims := []int{0, 1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 31, 37, 67}
	ks := []int{0, 1, 3, 7, 17, 64, 259}
	if testing.Short() {
		dims = []int{0, 1, 7, 9, 17, 37}
		ks = []int{0, 1, 17, 259}
	}
	scal := []float32{0, 1, -0.75}
	r := rand.New(rand.NewPCG(1, 2))
	ForEachImpl(func(impl string) {
		t.Run(impl, func(t *testing.T) {
			i := 0
			for _, m := range dims {
				for _, n := range dims {
					for _, k := range ks {
						for tr := range 4 {
							i++
							tc := gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: m, n: n, k: k,
								alpha: scal[i%3], beta: scal[(i/3)%3], pad: (i / 9) % 3 * 2, nanC: i%7 == 0}
							if tc.nanC {
								tc.beta = 0
							}
							checkGemm(t, r, 1+i%2, tc)
						}
					}
				}
			}
		})
	})
}

// TestSgemmBlocks covers shapes that cross the kc, mc and nc block sizes
// and the multi-threaded splits of rows and of columns.
func TestSgemmBlocks(t *testing.T) {
	shapes := [][3]int{{150, 70, 300}, {9, 4100, 20}, {40, 1700, 530}, {300, 33, 513}, {97, 257, 65}, {12, 600, 40}}
	if testing.Short() {
		shapes = shapes[4:]
	}
	r := rand.New(rand.NewPCG(3, 4))
	ForEachImpl(func(impl string) {
		t.Run(impl, func(t *testing.T) {
			for i, s := range shapes {
				for _, threads := range []int{1, 2, 3} {
					tc := gemmCase{transA: i%2 == 1, transB: i%3 == 1, m: s[0], n: s[1], k: s[2],
						alpha: 1.5, beta: -0.5, pad: 3}
					checkGemm(t, r, threads, tc)
				}
			}
		})
	})
}

// TestSgemmNaN checks that NaN and Inf in A and B propagate as in the
// reference (also through alpha = 0 and zero rows of A), and that beta = 0
// ignores NaN in C.
func TestSgemmNaN(t *testing.T) {
	nan := float32(math.NaN())
	ForEachImpl(func(impl string) {
		for _, m := range []int{1, 4, 13} {
			const n, k = 19, 5
			a := make([]float32, m*k)
			b := make([]float32, k*n)
			for i := range b {
				b[i] = 1
			}
			b[2*n+3] = nan
			b[1*n+7] = float32(math.Inf(1))
			a[0] = float32(math.Inf(-1))
			for _, alpha := range []float32{0, 2} {
				for _, tB := range []bool{false, true} {
					bb := b
					if tB {
						bb = make([]float32, n*k)
						for p := range k {
							for j := range n {
								bb[j*k+p] = b[p*n+j]
							}
						}
					}
					ldb := n
					if tB {
						ldb = k
					}
					c := make([]float32, m*n)
					want := make([]float32, m*n)
					for i := range c {
						c[i], want[i] = nan, nan
					}
					sgemmReference(false, tB, m, n, k, alpha, a, k, bb, ldb, 0, want, n)
					SgemmThreads(2, false, tB, m, n, k, alpha, a, k, bb, ldb, 0, c, n)
					for i := range c {
						gn, wn := math.IsNaN(float64(c[i])), math.IsNaN(float64(want[i]))
						if gn != wn || (!gn && c[i] != want[i]) {
							t.Fatalf("%s m=%d alpha=%g tB=%v: C[%d] = %v, want %v", impl, m, alpha, tB, i, c[i], want[i])
						}
					}
				}
			}
		}
	})
}

func TestSgemmKernelGeneric(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, mn := range [][2]int{{4, 4}, {6, 16}, {8, 12}, {3, 5}} {
		mr, nr := mn[0], mn[1]
		for _, k := range []int{0, 1, 2, 7, 64} {
			a, b := randSlice(r, k*mr), randSlice(r, k*nr)
			ldc := nr + 3
			c := randSlice(r, mr*ldc)
			want := append([]float32(nil), c...)
			for i := range mr {
				for j := range nr {
					var s float32
					for p := range k {
						s += a[p*mr+i] * b[p*nr+j]
					}
					want[i*ldc+j] += s
				}
			}
			sgemmKernelGeneric(mr, nr, k, a, b, c, ldc)
			for i := range c {
				if math.Abs(float64(c[i]-want[i])) > 1e-5*float64(k+1) {
					t.Fatalf("%dx%d k=%d: c[%d] = %v, want %v", mr, nr, k, i, c[i], want[i])
				}
			}
		}
	}
}

// TestSgemmPanics checks the argument validation.
func TestSgemmPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"negative": func() { Sgemm(false, false, -1, 1, 1, 1, nil, 1, nil, 1, 0, nil, 1) },
		"short A": func() {
			Sgemm(false, false, 2, 2, 2, 1, make([]float32, 3), 2, make([]float32, 4), 2, 0, make([]float32, 4), 2)
		},
		"stride": func() {
			Sgemm(false, false, 2, 2, 2, 1, make([]float32, 4), 1, make([]float32, 4), 2, 0, make([]float32, 4), 2)
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// checkSameBits fails unless got and want hold the same float bits.
func checkSameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: [%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}
