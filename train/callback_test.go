package train

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

func TestSpeedometer(t *testing.T) {
	var out bytes.Buffer
	s := NewSpeedometer(10, 2, true, &out)
	clock := time.Unix(0, 0)
	s.now = func() time.Time { return clock }
	acc := NewAccuracy()
	_ = acc.Update([]*tensor.Tensor{t1(t, 1, 0)}, []*tensor.Tensor{t1(t, 1, 1)})
	for nb := range 5 {
		s.BatchEnd(BatchEndParam{Epoch: 0, NBatch: nb, EvalMetric: acc})
		clock = clock.Add(500 * time.Millisecond)
	}
	// Logs at batches 2 and 4: 2 batches · 10 samples in 1 s.
	want := "Epoch[0] Batch [0-2]\tSpeed: 20.00 samples/sec\taccuracy=0.500000\n" +
		"Epoch[0] Batch [2-4]\tSpeed: 20.00 samples/sec\taccuracy=nan\n"
	if out.String() != want {
		t.Errorf("got %q\nwant %q", out.String(), want)
	}
	if s.Speed() != 20 {
		t.Errorf("speed %v", s.Speed())
	}
	// A new epoch (batch count going down) restarts timing.
	out.Reset()
	s.BatchEnd(BatchEndParam{Epoch: 1, NBatch: 0})
	clock = clock.Add(time.Second)
	s.BatchEnd(BatchEndParam{Epoch: 1, NBatch: 2})
	if out.String() != "Iter[1] Batch [2]\tSpeed: 20.00 samples/sec\n" {
		t.Errorf("got %q", out.String())
	}
}

func TestProgressBar(t *testing.T) {
	var out bytes.Buffer
	p := newProgressBar(4, &out, true, 0)
	acc := NewAccuracy()
	for nb := range 4 {
		p.BatchEnd(BatchEndParam{Epoch: 2, NBatch: nb, EvalMetric: acc})
	}
	p.Finish()
	if !p.Enabled() || !strings.Contains(out.String(), "Epoch[2]") {
		t.Errorf("bar output %q", out.String())
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	q := NewProgressBar(4, f)
	q.BatchEnd(BatchEndParam{NBatch: 0})
	q.Finish()
	if q.Enabled() {
		t.Error("progress bar enabled on a regular file")
	}
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Errorf("disabled bar wrote %d bytes", st.Size())
	}
}

func TestDoCheckpoint(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "net")
	sym := graph.Variable("data")
	w := f32s(t, 1, 2, 3)
	cb := DoCheckpoint(prefix, 2)
	for e := range 4 {
		if err := cb(EpochEndParam{Epoch: e, Symbol: sym, Args: map[string]*tensor.Tensor{"fc_weight": w}}); err != nil {
			t.Fatal(err)
		}
	}
	for e, want := range map[int]bool{1: false, 2: true, 3: false, 4: true} {
		_, pp := serialize.CheckpointPaths(prefix, e)
		if _, err := os.Stat(pp); (err == nil) != want {
			t.Errorf("epoch %d params exist=%v, want %v", e, err == nil, want)
		}
	}
	ck, err := serialize.LoadCheckpoint(prefix, 4)
	if err != nil {
		t.Fatal(err)
	}
	if got := ck.Args["fc_weight"]; got == nil || !bytes.Equal(got.Bytes(), w.Bytes()) {
		t.Errorf("reloaded %v", got)
	}
}
