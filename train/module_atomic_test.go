package train

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteAtomicInterrupted: a write that fails half-way (an interrupted
// save) leaves the previous file as it was and no temporary file.
func TestWriteAtomicInterrupted(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m-0001.params")
	if err := os.WriteFile(path, []byte("complete checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("interrupted")
	err := writeAtomic(path, func(tmp string) error {
		if err := os.WriteFile(tmp, []byte("half"), 0o644); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("writeAtomic: %v, want the write's error", err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "complete checkpoint" {
		t.Fatalf("previous file now %q (%v)", b, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("%d files left, want only the checkpoint", len(ents))
	}
}
