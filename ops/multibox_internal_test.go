package ops

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSelectSmallest checks that selectSmallest leaves the k smallest
// values first (compared with a full sort) on random, sorted, reversed
// and organ-pipe inputs of every length to 70 and some longer ones.
func TestSelectSmallest(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range append([]int{100, 257, 1000, 6144}, func() []int {
		s := make([]int, 70)
		for i := range s {
			s[i] = i + 1
		}
		return s
	}()...) {
		for pat := range 4 {
			a := make([]uint64, n)
			for i := range a {
				switch pat {
				case 0:
					a[i] = r.Uint64()
				case 1:
					a[i] = uint64(i)
				case 2:
					a[i] = uint64(n - i)
				case 3:
					a[i] = uint64(min(i, n-i))<<32 | uint64(i)
				}
			}
			want := slices.Clone(a)
			slices.Sort(want)
			for _, k := range []int{1, n / 3, n / 2, n - 1, n} {
				if k < 1 {
					continue
				}
				got := slices.Clone(a)
				selectSmallest(got, k)
				head := slices.Clone(got[:k])
				slices.Sort(head)
				if !slices.Equal(head, want[:k]) {
					t.Fatalf("n=%d pattern %d k=%d: first k are not the k smallest", n, pat, k)
				}
				all := slices.Clone(got)
				slices.Sort(all)
				if !slices.Equal(all, want) {
					t.Fatalf("n=%d pattern %d k=%d: values lost", n, pat, k)
				}
			}
		}
	}
}
