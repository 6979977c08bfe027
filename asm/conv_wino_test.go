package asm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// winoBT, winoAT are Bᵀ and Aᵀ of F(2×2, 3×3).
var (
	winoBT = [4][4]float64{{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}}
	winoAT = [2][4]float64{{1, 1, 1, 0}, {0, 1, -1, -1}}
)

// winoSpecials are values the transforms must carry through.
var winoSpecials = []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), 1e-40, -3e38}

// TestWinogradTransforms checks every implementation's input and output
// transforms bit for bit against the Go twins (row lengths across the 8-
// and 16-tile steps, a few rows, NaN, ±Inf, −0, subnormals), that they
// write nothing outside what WinogradInput and WinogradOutput allow, and
// the Go twins against Bᵀ·d·B and Aᵀ·m·A in float64.
func TestWinogradTransforms(t *testing.T) {
	r := rand.New(rand.NewPCG(91, 92))
	ForEachImpl(func(impl string) {
		for _, th := range []int{1, 2, 3, 5} {
			for tw := 1; tw <= 40; tw++ {
				t.Run(fmt.Sprintf("%s/th=%d/tw=%d", impl, th, tw), func(t *testing.T) {
					checkWinoInput(t, r, th, tw)
					checkWinoOutput(t, r, th, tw)
				})
			}
		}
	})
}

func winoRand(r *rand.Rand, n int, specials bool) []float32 {
	s := randSlice(r, n)
	if specials {
		for i := range s {
			if r.IntN(23) == 0 {
				s[i] = winoSpecials[r.IntN(len(winoSpecials))]
			}
		}
	}
	return s
}

func checkWinoInput(t *testing.T, r *rand.Rand, th, tw int) {
	span := WinogradRowSpan(tw)
	ld := span + 1 + r.IntN(3)
	vs := (th-1)*tw + span + r.IntN(3)
	rows := 2*th + 2
	e, o := winoRand(r, rows*ld+1, true), winoRand(r, rows*ld+1, true)
	got := make([]float32, 16*vs+5)
	for i := range got {
		got[i] = sentinel
	}
	WinogradInput(got, vs, e, o, ld, th, tw)
	want := make([]float32, len(got))
	copy(want, got)
	winoInputGeneric(want, vs, e, o, ld, th, tw, 0)
	for xi := range 16 {
		for q := range vs {
			i := xi*vs + q
			if q < th*tw {
				if !sameBits(got[i], want[i]) {
					t.Fatalf("v[%d·vs + %d] = %v, Go %v", xi, q, got[i], want[i])
				}
			} else if q >= (th-1)*tw+span && got[i] != sentinel {
				t.Fatalf("v[%d·vs + %d] written past the row span", xi, q)
			}
		}
	}
	for i := 16 * vs; i < len(got); i++ {
		if got[i] != sentinel {
			t.Fatalf("guard v[%d] written", i)
		}
	}
	// The Go twin against Bᵀ·d·B in float64 (finite inputs).
	e, o = winoRand(r, rows*ld+1, false), winoRand(r, rows*ld+1, false)
	winoInputGeneric(want, vs, e, o, ld, th, tw, 0)
	for ty := range th {
		for tx := range tw {
			var d [4][4]float64
			for i := range 4 {
				q := (2*ty+i)*ld + tx
				d[i] = [4]float64{float64(e[q]), float64(o[q]), float64(e[q+1]), float64(o[q+1])}
			}
			for i := range 4 {
				for j := range 4 {
					s := 0.0
					for a := range 4 {
						for b := range 4 {
							s += winoBT[i][a] * d[a][b] * winoBT[j][b]
						}
					}
					if got := float64(want[(4*i+j)*vs+ty*tw+tx]); math.Abs(got-s) > 1e-6*(1+math.Abs(s)) {
						t.Fatalf("tile (%d,%d) v%d%d = %v, want %v", ty, tx, i, j, got, s)
					}
				}
			}
		}
	}
}

func checkWinoOutput(t *testing.T, r *rand.Rand, th, tw int) {
	span := WinogradRowSpan(tw)
	ms := (th-1)*tw + span + r.IntN(3)
	ldw := 2*span + r.IntN(3)
	m := winoRand(r, 16*ms, true)
	got := make([]float32, 2*th*ldw+5)
	for i := range got {
		got[i] = sentinel
	}
	WinogradOutput(got, ldw, m, ms, th, tw)
	want := make([]float32, len(got))
	copy(want, got)
	winoOutputGeneric(want, ldw, m, ms, th, tw, 0)
	for row := range 2 * th {
		for c := range ldw {
			i := row*ldw + c
			if c < 2*tw {
				if !sameBits(got[i], want[i]) {
					t.Fatalf("wide[%d][%d] = %v, Go %v", row, c, got[i], want[i])
				}
			} else if c >= 2*span && got[i] != sentinel {
				t.Fatalf("wide[%d][%d] written past the row span", row, c)
			}
		}
	}
	for i := 2 * th * ldw; i < len(got); i++ {
		if got[i] != sentinel {
			t.Fatalf("guard wide[%d] written", i)
		}
	}
	m = winoRand(r, 16*ms, false)
	winoOutputGeneric(want, ldw, m, ms, th, tw, 0)
	for ty := range th {
		for tx := range tw {
			for a := range 2 {
				for b := range 2 {
					s := 0.0
					for i := range 4 {
						for j := range 4 {
							s += winoAT[a][i] * float64(m[(4*i+j)*ms+ty*tw+tx]) * winoAT[b][j]
						}
					}
					if got := float64(want[(2*ty+a)*ldw+2*tx+b]); math.Abs(got-s) > 1e-6*(1+math.Abs(s)) {
						t.Fatalf("tile (%d,%d) y%d%d = %v, want %v", ty, tx, a, b, got, s)
					}
				}
			}
		}
	}
}

// sameBits reports equal bits, or both NaN.
func sameBits(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || a != a && b != b
}
