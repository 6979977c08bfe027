package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/asm"
)

func TestBenchGemm(t *testing.T) {
	prev := asm.Impl()
	for _, impl := range asm.Impls() {
		for _, layout := range []string{"nt", "nn"} {
			code, out, errs := mxgo(t, "bench", "gemm", "-m", "3", "-n", "17", "-k", "5", "-layout", layout,
				"-threads", "2", "-impl", impl, "-time", "5ms", "-json")
			if code != 0 {
				t.Fatalf("%s %s: exit %d: %s", impl, layout, code, errs)
			}
			var r gemmResult
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%s: bad JSON %q: %v", impl, out, err)
			}
			want := gemmResult{Op: "sgemm", M: 3, N: 17, K: 5, Layout: layout, Threads: 2, Impl: impl, GFLOPS: r.GFLOPS}
			if r != want || !(r.GFLOPS > 0) {
				t.Errorf("got %+v, want %+v with gflops > 0", r, want)
			}
		}
	}
	if asm.Impl() != prev {
		t.Errorf("impl not restored: %s, want %s", asm.Impl(), prev)
	}
}

func TestBenchGemmErrors(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "gemm", "-m", "0"},
		{"bench", "gemm", "-layout", "tt"},
		{"bench", "gemm", "-impl", "nope"},
		{"bench", "gemm", "-threads", "0"},
		{"bench", "nosuch"},
	} {
		if code, _, errs := mxgo(t, args...); code != 1 || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q (want 1 and one line)", args, code, errs)
		}
	}
	if code, _, _ := mxgo(t, "bench"); code != 2 {
		t.Errorf("bench without subcommand: exit %d, want 2", code)
	}
	if code, out, _ := mxgo(t, "bench", "gemm", "-m", "2", "-n", "2", "-k", "2", "-time", "1ms"); code != 0 || !strings.Contains(out, "GFLOP/s") {
		t.Errorf("text output: %d %q", code, out)
	}
}
