package serialize_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// allocDuring returns the bytes allocated (TotalAlloc) while f runs.
func allocDuring(f func()) (total uint64) {
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	f()
	runtime.ReadMemStats(&m1)
	return m1.TotalAlloc - m0.TotalAlloc
}

// TestLoadCheckpointMemory checks that loading a checkpoint allocates about
// the size of its parameters once: the file is streamed into the tensors,
// not read whole and then copied. It also bounds an unsized stream.
func TestLoadCheckpointMemory(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "big")
	x := graph.Variable("data")
	ck := &serialize.Checkpoint{Symbol: x, Args: map[string]*tensor.Tensor{}, Aux: map[string]*tensor.Tensor{}}
	for i := 0; i < 8; i++ {
		w, err := tensor.New(tensor.Float32, 1024, 2048) // 8 MiB
		if err != nil {
			t.Fatal(err)
		}
		ck.Args[fmt.Sprintf("w%d", i)] = w
	}
	if err := serialize.SaveCheckpoint(prefix, 1, ck); err != nil {
		t.Fatal(err)
	}
	ck = nil
	_, paramsPath := serialize.CheckpointPaths(prefix, 1)
	st, err := os.Stat(paramsPath)
	if err != nil {
		t.Fatal(err)
	}
	size := float64(st.Size())
	var got *serialize.Checkpoint
	total := allocDuring(func() {
		got, err = serialize.LoadCheckpoint(prefix, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	ratio := float64(total) / size
	t.Logf("LoadCheckpoint of a %.0f MiB file allocated %.1f MiB (%.2fx)", size/(1<<20), float64(total)/(1<<20), ratio)
	if ratio > 1.1 {
		t.Errorf("LoadCheckpoint allocated %.2fx the file size, want <= 1.1x", ratio)
	}
	if len(got.Args) != 8 {
		t.Fatalf("%d args", len(got.Args))
	}
	data, err := os.ReadFile(paramsPath)
	if err != nil {
		t.Fatal(err)
	}
	total = allocDuring(func() {
		_, err = serialize.ReadNDArrays(struct{ io.Reader }{bytes.NewReader(data)})
	})
	if err != nil {
		t.Fatal(err)
	}
	ratio = float64(total) / size
	t.Logf("ReadNDArrays of an unsized %.0f MiB stream allocated %.1f MiB (%.2fx)", size/(1<<20), float64(total)/(1<<20), ratio)
	if ratio > 1.1 {
		t.Errorf("streamed read allocated %.2fx the input, want <= 1.1x", ratio)
	}
}
