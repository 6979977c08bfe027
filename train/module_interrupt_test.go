package train_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/train"
)

func boundMLP(t *testing.T) *train.Module {
	t.Helper()
	m, err := train.NewModule(mlp(t, 3), []string{"data"}, []string{"softmax_label"})
	if err != nil {
		t.Fatal(err)
	}
	m.Threads = 1
	if err := m.Bind(map[string][]int{"data": {30, 4}}, map[string][]int{"softmax_label": {30}}); err != nil {
		t.Fatal(err)
	}
	if err := m.InitParams(train.NewXavier(), 1, nil, nil, false, false); err != nil {
		t.Fatal(err)
	}
	if err := m.InitOptimizer("sgd", map[string]float64{"learning_rate": 0.1, "momentum": 0.9}); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestFitCancelKeepsLastCheckpoint cancels Fit (what mxgo train's Ctrl-C
// does) in the middle of epoch 2: Fit returns the cancellation, the epoch-1
// checkpoint is intact and loads, no epoch-2 file and no temporary file
// is left.
func TestFitCancelKeepsLastCheckpoint(t *testing.T) {
	x, y := blobs(1, 300)
	m := boundMLP(t)
	dir := t.TempDir()
	prefix := filepath.Join(dir, "run")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var saved []byte
	err := m.Fit(ctx, iterOf(t, x, y, 30, true), nil, train.FitOptions{
		Epochs:   3,
		EpochEnd: []train.EpochEndCallback{train.DoCheckpoint(prefix, 1)},
		BatchEnd: []train.BatchEndCallback{func(p train.BatchEndParam) {
			if p.Epoch == 1 && p.NBatch == 4 {
				cancel()
			}
		}},
		OnEpoch: func(r train.EpochResult) error {
			if r.Epoch == 1 {
				var err error
				saved, err = os.ReadFile(prefix + "-0001.params")
				return err
			}
			return nil
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Fit after cancel: %v, want context.Canceled", err)
	}
	if got, err := os.ReadFile(prefix + "-0001.params"); err != nil || !bytes.Equal(got, saved) || len(saved) == 0 {
		t.Fatalf("epoch-1 checkpoint changed or missing (%v)", err)
	}
	if _, err := serialize.LoadCheckpoint(prefix, 1); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if want := []string{"run-0001.params", "run-symbol.json"}; !slices.Equal(names, want) {
		t.Errorf("files after cancel %v, want %v", names, want)
	}
}

// TestLoadModuleTruncatedStates: a truncated .states file is a clear error
// at LoadModule, never a panic.
func TestLoadModuleTruncatedStates(t *testing.T) {
	x, y := blobs(1, 60)
	m := boundMLP(t)
	if err := m.Fit(context.Background(), iterOf(t, x, y, 30, false), nil, train.FitOptions{Epochs: 1}); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(t.TempDir(), "m")
	if err := m.SaveCheckpoint(prefix, 1, true); err != nil {
		t.Fatal(err)
	}
	full, err := os.ReadFile(prefix + "-0001.states")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, len(full) / 3, len(full) / 2, len(full) - 1} {
		if err := os.WriteFile(prefix+"-0001.states", full[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := train.LoadModule(prefix, 1, []string{"data"}, []string{"softmax_label"}, true)
		if err == nil || !strings.Contains(err.Error(), "optimizer states") {
			t.Errorf("states truncated to %d of %d bytes: %v", n, len(full), err)
		}
	}
}
