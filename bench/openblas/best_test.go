//go:build openblas

package openblas

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/mxgo/mxgo/asm"
)

// TestCompareBest is the noise-resistant form of BenchmarkCompare for
// loaded machines: it runs only when COMPARE_BEST is set (to a regexp of
// shape names, or "."), alternates the two libraries in short rounds
// (COMPARE_ROUNDS, default 30, of about 2 ms each) and reports the best
// time per call of each as GFLOP/s and their ratio. For m <= 8 it also
// times one pass over B (asm.Sum) and reports mxgo's time as a multiple of
// it (column "xstream").
func TestCompareBest(t *testing.T) {
	pat := os.Getenv("COMPARE_BEST")
	if pat == "" {
		t.Skip("COMPARE_BEST not set")
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		t.Fatalf("COMPARE_BEST: %v", err)
	}
	rounds := 30
	if v, err := strconv.Atoi(os.Getenv("COMPARE_ROUNDS")); err == nil && v > 0 {
		rounds = v
	}
	SetThreads(1)
	fmt.Printf("%-44s %10s %10s %7s %8s\n", "shape", "mxgo", "openblas", "ratio", "xstream")
	for _, s := range shapes {
		if !re.MatchString(s.name()) {
			continue
		}
		o := newOperands(s)
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		reps := max(1, int(2e-3*50e9/flops))
		var best [3]time.Duration
		libs := []func(shape){o.mxgo, o.openblas}
		if s.m <= 8 {
			libs = append(libs, func(shape) { sink += asm.Sum(o.b) })
		}
		for r := range rounds {
			for i, f := range libs {
				st := time.Now()
				for range reps {
					f(s)
				}
				d := time.Since(st) / time.Duration(reps)
				if r == 0 || d < best[i] {
					best[i] = d
				}
			}
		}
		g := func(d time.Duration) float64 { return flops / float64(d.Nanoseconds()) }
		stream := ""
		if s.m <= 8 {
			stream = fmt.Sprintf("%8.2f", float64(best[0])/float64(best[2]))
		}
		fmt.Printf("%-44s %10.2f %10.2f %7.2f %s\n", s.name(), g(best[0]), g(best[1]), float64(best[1])/float64(best[0]), stream)
	}
}

// sink keeps the streaming reference's result alive.
var sink float32
