package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// TestLatestSwap serves the MLP at EPOCH Latest while clients hammer it, writes
// epoch 1 (the last layer negated) first half-written, which must not be
// loaded, then complete, which must be swapped in: no request fails, and
// every answer is epoch 0's or epoch 1's output for its version.
func TestLatestSwap(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "m")
	for _, f := range []string{"-symbol.json", "-shapes.json", "-0000.params"} {
		b, err := os.ReadFile(mlpPrefix + f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(prefix+f, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ck, err := serialize.LoadCheckpoint(prefix, 0)
	if err != nil {
		t.Fatal(err)
	}
	img := image(t, 0)
	want := map[string][]float32{"0": predictOne(t, ck, img)}
	w := ck.Args["fullyconnected2_weight"].Clone()
	for i, v := range w.Float32s() {
		w.Float32s()[i] = -v
	}
	ck.Args["fullyconnected2_weight"] = w
	want["1"] = predictOne(t, ck, img)
	var epoch1 bytes.Buffer
	if err := serialize.WriteNDArrays(&epoch1, serialize.CheckpointParams(ck), serialize.FormatV2); err != nil {
		t.Fatal(err)
	}

	s, hs := newServer(t, Options{Models: []ModelSpec{{Name: "m", Prefix: prefix, Epoch: Latest}}, PollInterval: 5 * time.Millisecond, MaxBatch: 4, MaxDelay: time.Millisecond})
	l := s.models["m"].current()
	var stop atomic.Bool
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				st, _, b := post(t, hs.URL+"/v2/models/m/infer", inferJSON([]int{1, 1, 28, 28}, img), nil)
				var r inferResponse
				if err := json.Unmarshal(b, &r); st != 200 || err != nil {
					t.Errorf("request failed during swap: %d %s", st, b)
					return
				}
				ref, ok := want[r.ModelVersion]
				if !ok {
					t.Errorf("version %q", r.ModelVersion)
					return
				}
				for j, v := range r.Outputs[0].Data {
					if math.Abs(float64(v-ref[j])) > 1e-6 {
						t.Errorf("version %s output %d = %v, want %v", r.ModelVersion, j, v, ref[j])
						return
					}
				}
				mu.Lock()
				seen[r.ModelVersion]++
				mu.Unlock()
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	// Half-written: must be refused (and retried when the file changes).
	half := epoch1.Bytes()[:epoch1.Len()/2]
	if err := os.WriteFile(prefix+"-0001.params", half, 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if v := l.version(); v != "0" {
		t.Fatalf("a half-written epoch 1 was loaded (version %s)", v)
	}
	f, err := os.OpenFile(prefix+"-0001.params", os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(epoch1.Bytes()[len(half):]); err != nil {
		t.Fatal(err)
	}
	f.Close()
	waitFor(t, 5*time.Second, "epoch 1 to be swapped in", func() bool { return l.version() == "1" })
	time.Sleep(50 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if seen["0"] == 0 || seen["1"] == 0 {
		t.Errorf("answers by version: %v; want both", seen)
	}
	t.Logf("answers by version during the swap: %v", seen)
}

func predictOne(t *testing.T, ck *serialize.Checkpoint, img []float32) []float32 {
	t.Helper()
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {1, 1, 28, 28}})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := tensor.FromSlice(append([]float32(nil), img...), 1, 1, 28, 28)
	o, err := m.Predict(context.Background(), []*tensor.Tensor{x}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return o[0].Float32s()
}
