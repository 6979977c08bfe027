package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// trainFixture writes a small MLP symbol and a 3-class .npz dataset.
func trainFixture(t *testing.T, withLoss bool, badLabel bool) (sym, npz string) {
	t.Helper()
	dir := t.TempDir()
	data := graph.Variable("data")
	s, err := graph.Apply("FullyConnected", graph.Call{Name: "fc1", Inputs: []*graph.Symbol{data}, Attrs: map[string]string{"num_hidden": "8"}})
	if err == nil {
		s, err = graph.Apply("Activation", graph.Call{Name: "relu1", Inputs: []*graph.Symbol{s}, Attrs: map[string]string{"act_type": "relu"}})
	}
	if err == nil {
		s, err = graph.Apply("FullyConnected", graph.Call{Name: "fc2", Inputs: []*graph.Symbol{s}, Attrs: map[string]string{"num_hidden": "3"}})
	}
	if err == nil && withLoss {
		s, err = graph.Apply("SoftmaxOutput", graph.Call{Name: "softmax", Inputs: []*graph.Symbol{s}})
	}
	if err != nil {
		t.Fatal(err)
	}
	sym = filepath.Join(dir, "net-symbol.json")
	if err := serialize.SaveSymbol(sym, s, nil); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 60
	xs, ys := make([]float32, n*4), make([]float32, n)
	for i := range n {
		c := i % 3
		ys[i] = float32(c)
		for k := range 4 {
			xs[i*4+k] = float32(rng.NormFloat64() * 0.3)
		}
		xs[i*4+c] += 2
	}
	if badLabel {
		ys[5] = 7
	}
	x, _ := tensor.FromSlice(xs, n, 4)
	y, _ := tensor.FromSlice(ys, n)
	var buf bytes.Buffer
	if err := serialize.WriteNPZ(&buf, []string{"data", "label"}, []*tensor.Tensor{x, y}); err != nil {
		t.Fatal(err)
	}
	npz = filepath.Join(dir, "d.npz")
	if err := os.WriteFile(npz, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return sym, npz
}

func TestTrainCommand(t *testing.T) {
	sym, npz := trainFixture(t, true, false)
	prefix := filepath.Join(t.TempDir(), "out")
	args := []string{"train", "-symbol", sym, "-train", npz, "-eval", npz, "-prefix", prefix, "-epochs", "3",
		"-batch-size", "20", "-lr", "0.1", "-shuffle=false", "-json"}
	code, out, errs := mxgo(t, append(args, "-threads", "1")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want 3 JSON lines, got:\n%s", out)
	}
	var last struct {
		Epoch        int     `json:"epoch"`
		EvalAccuracy float64 `json:"eval_accuracy"`
		Params       string  `json:"params"`
	}
	if err := json.Unmarshal([]byte(lines[2]), &last); err != nil {
		t.Fatal(err)
	}
	if last.Epoch != 3 || last.EvalAccuracy < 0.9 || last.Params != prefix+"-0003.params" {
		t.Fatalf("last epoch %+v", last)
	}
	// The checkpoint loads and predicts; the symbol JSON re-prints identically.
	ck, err := serialize.LoadCheckpoint(prefix, 3)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {20, 4}}); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(prefix + "-symbol.json")
	again := filepath.Join(t.TempDir(), "again.json")
	if err := serialize.SaveSymbol(again, ck.Symbol, nil); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(again)
	if !bytes.Equal(a, b) {
		t.Error("checkpoint symbol JSON does not re-print byte-identically")
	}
	// Deterministic with -shuffle=false across thread counts.
	p1, _ := os.ReadFile(prefix + "-0003.params")
	prefix2 := filepath.Join(t.TempDir(), "out2")
	args[8] = prefix2
	if code, _, errs := mxgo(t, append(args, "-threads", "2")...); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, errs)
	}
	p2, _ := os.ReadFile(prefix2 + "-0003.params")
	if !bytes.Equal(p1, p2) {
		t.Error("training with 1 and 2 threads gave different parameters")
	}
}

func TestTrainCommandBadInput(t *testing.T) {
	sym, npz := trainFixture(t, false, false)
	prefix := filepath.Join(t.TempDir(), "out")
	code, _, errs := mxgo(t, "train", "-symbol", sym, "-train", npz, "-prefix", prefix, "-epochs", "1", "-batch-size", "20")
	if code != 1 || !strings.Contains(errs, "no loss head") {
		t.Errorf("no loss head: exit %d: %s", code, errs)
	}
	sym, npz = trainFixture(t, true, true)
	code, _, errs = mxgo(t, "train", "-symbol", sym, "-train", npz, "-prefix", prefix, "-epochs", "1", "-batch-size", "20")
	if code != 1 || !strings.Contains(errs, "out of range") {
		t.Errorf("label out of range: exit %d: %s", code, errs)
	}
}

// TestTrainCommandMultiPrecision trains with -multi-precision: the
// checkpoint's parameters are float16 and, widened, predict.
func TestTrainCommandMultiPrecision(t *testing.T) {
	sym, npz := trainFixture(t, true, false)
	prefix := filepath.Join(t.TempDir(), "mp")
	code, out, errs := mxgo(t, "train", "-symbol", sym, "-train", npz, "-eval", npz, "-prefix", prefix, "-epochs", "2",
		"-batch-size", "20", "-lr", "0.1", "-json", "-threads", "1", "-multi-precision")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var last struct {
		EvalAccuracy float64 `json:"eval_accuracy"`
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || last.EvalAccuracy < 0.9 {
		t.Fatalf("last epoch %s (%v)", lines[len(lines)-1], err)
	}
	ck, err := serialize.LoadCheckpoint(prefix, 2)
	if err != nil {
		t.Fatal(err)
	}
	for n, a := range ck.Args {
		if a.DType() != tensor.Float16 {
			t.Errorf("%s is %s, want float16", n, a.DType())
		}
	}
	// The symbol is float32: inference binds the parameters widened (as
	// MXNet's Module.set_params converts them).
	wide := map[string]*tensor.Tensor{}
	for n, a := range ck.Args {
		if wide[n], err = a.AsType(tensor.Float32); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := executor.Bind(ck.Symbol, wide, ck.Aux, map[string][]int{"data": {20, 4}}); err != nil {
		t.Fatal(err)
	}
}
