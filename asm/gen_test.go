package asm

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedAssemblyIsFresh regenerates each generated assembly file and
// checks it matches the committed one (skipped where python3 is missing).
func TestGeneratedAssemblyIsFresh(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	for _, f := range []struct{ gen, file string }{
		{"_gen/vec_amd64.py", "vec_amd64.s"},
		{"_gen/sgemm_avx512_amd64.py", "sgemm_avx512_amd64.s"},
		{"_gen/vec_avx512_amd64.py", "vec_avx512_amd64.s"},
		{"_gen/conv_dw_amd64.py", "conv_dw_amd64.s"},
		{"_gen/conv_implicit_amd64.py", "conv_implicit_amd64.s"},
		{"_gen/pool_amd64.py", "pool_amd64.s"},
		{"_gen/conv_wino_amd64.py", "conv_wino_amd64.s"},
	} {
		out := filepath.Join(t.TempDir(), f.file)
		if b, err := exec.Command(py, f.gen, out).CombinedOutput(); err != nil {
			t.Fatalf("generator %s: %v\n%s", f.gen, err, b)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(f.file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s differs from what asm/%s generates; rerun the generator", f.file, f.gen)
		}
	}
}
