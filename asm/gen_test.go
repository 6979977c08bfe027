package asm

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedAssemblyIsFresh regenerates vec_amd64.s and checks it matches
// the committed file (skipped where python3 is missing).
func TestGeneratedAssemblyIsFresh(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	out := filepath.Join(t.TempDir(), "vec_amd64.s")
	if b, err := exec.Command(py, "_gen/vec_amd64.py", out).CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("vec_amd64.s")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("vec_amd64.s differs from what asm/_gen/vec_amd64.py generates; rerun the generator")
	}
}
