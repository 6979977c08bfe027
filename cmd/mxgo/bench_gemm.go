package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/mxgo/mxgo/asm"
)

func init() {
	registerBench(&command{name: "gemm", summary: "time asm.Sgemm on one shape and print GFLOP/s", run: runBenchGemm})
}

// gemmResult is the -json output of `mxgo bench gemm`.
type gemmResult struct {
	Op      string  `json:"op"`
	M       int     `json:"m"`
	N       int     `json:"n"`
	K       int     `json:"k"`
	Layout  string  `json:"layout"`
	Threads int     `json:"threads"`
	Impl    string  `json:"impl"`
	GFLOPS  float64 `json:"gflops"`
}

func runBenchGemm(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench gemm", stderr)
	m := fs.Int("m", 256, "rows of C (batch size for FullyConnected)")
	n := fs.Int("n", 256, "columns of C (output features)")
	k := fs.Int("k", 256, "inner dimension (input features)")
	layout := fs.String("layout", "nt", "nt: C = A·Bᵀ with B stored [n,k] (FullyConnected); nn: C = A·B")
	threads := fs.Int("threads", asm.Threads(), "goroutines")
	impl := fs.String("impl", asm.Impl(), "kernel implementation (available: "+fmt.Sprint(asm.Impls())+")")
	dur := fs.Duration("time", time.Second, "measuring time after warm-up")
	asJSON := fs.Bool("json", false, "print one JSON object")
	if _, err := parseArgs(fs, args, 0, 0, ""); err != nil {
		return err
	}
	if *m < 1 || *n < 1 || *k < 1 {
		return fmt.Errorf("dimensions must be positive: m=%d n=%d k=%d", *m, *n, *k)
	}
	if *m**n > 1<<28 || *m**k > 1<<28 || *n**k > 1<<28 {
		return fmt.Errorf("matrices too large: m=%d n=%d k=%d (at most 2^28 elements each)", *m, *n, *k)
	}
	if *layout != "nt" && *layout != "nn" {
		return fmt.Errorf("layout %q: want nt or nn", *layout)
	}
	if *threads < 1 {
		return fmt.Errorf("threads %d: want at least 1", *threads)
	}
	prev := asm.Impl()
	if err := asm.SetImpl(*impl); err != nil {
		return fmt.Errorf("impl: %w", err)
	}
	defer func() { _ = asm.SetImpl(prev) }()

	gflops := timeGemm(*m, *n, *k, *layout == "nt", *threads, *dur)
	res := gemmResult{Op: "sgemm", M: *m, N: *n, K: *k, Layout: *layout, Threads: *threads, Impl: *impl, GFLOPS: gflops}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "sgemm m=%d n=%d k=%d layout=%s threads=%d impl=%s: %.2f GFLOP/s\n",
		res.M, res.N, res.K, res.Layout, res.Threads, res.Impl, res.GFLOPS)
	return nil
}

// timeGemm runs C = A·op(B) on random data for a warm-up of a tenth of d,
// then for about d, and returns GFLOP/s.
func timeGemm(m, n, k int, nt bool, threads int, d time.Duration) float64 {
	r := rand.New(rand.NewPCG(1, 2))
	fill := func(size int) []float32 {
		x := make([]float32, size)
		for i := range x {
			x[i] = r.Float32()*2 - 1
		}
		return x
	}
	a, b, c := fill(m*k), fill(k*n), make([]float32, m*n)
	ldb := n
	if nt {
		ldb = k
	}
	call := func() { asm.SgemmThreads(threads, false, nt, m, n, k, 1, a, k, b, ldb, 0, c, n) }
	runFor := func(d time.Duration) (int, time.Duration) {
		start := time.Now()
		calls := 0
		for {
			call()
			calls++
			if el := time.Since(start); el >= d {
				return calls, el
			}
		}
	}
	runFor(d / 10)
	calls, el := runFor(d)
	return 2 * float64(m) * float64(n) * float64(k) * float64(calls) / el.Seconds() / 1e9
}
