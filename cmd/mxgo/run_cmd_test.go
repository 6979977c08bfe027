package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

const lenetPrefix = "../../testdata/mxnet/lenet-module/LeNet"

func TestRunLeNetPredictsTheDigit(t *testing.T) {
	// Images 00..09 are the MNIST test digits 7 2 1 0 4 1 4 9 5 9.
	code, out, errs := mxgo(t, "run", "-input", "../../testdata/samples/mnist-batch.npy", lenetPrefix, "10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "softmax_output: float32 (10,10)") {
		t.Errorf("output header missing:\n%s", out)
	}
	for i, d := range []string{"7", "2", "1", "0", "4", "1", "4", "9", "5", "9"} {
		if want := "sample " + string(rune('0'+i)) + ": class " + d + ";"; !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestRunWritesNPYAndNPZ(t *testing.T) {
	dir := t.TempDir()
	npy := filepath.Join(dir, "out.npy")
	code, _, errs := mxgo(t, "run", "-symbol", lenetPrefix+"-symbol.json", "-params", lenetPrefix+"-0010.params",
		"-input", "data=../../testdata/samples/mnist-00.npy", "-out", npy)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got, err := serialize.LoadNPY(npy)
	if err != nil {
		t.Fatal(err)
	}
	if got.Dim(0) != 1 || got.Dim(1) != 10 || got.Float32s()[7] < 0.9 {
		t.Errorf("softmax output %v %v, want class 7 most likely", got, got.Float32s())
	}
	npz := filepath.Join(dir, "feat.npz")
	code, _, errs = mxgo(t, "run", "-input", "../../testdata/samples/mnist-00.npy", "-outputs", "fc1_output,softmax_output", "-out", npz, lenetPrefix, "10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(npz)
	if err != nil {
		t.Fatal(err)
	}
	for _, member := range []string{"fc1_output.npy", "softmax_output.npy"} {
		if !strings.Contains(string(data), member) {
			t.Errorf("%s lacks member %s", npz, member)
		}
	}
}

func TestRunErrors(t *testing.T) {
	nan := filepath.Join(t.TempDir(), "nan.npy")
	x, _ := tensor.New(tensor.Float32, 1, 1, 28, 28)
	x.Float32s()[30] = float32(math.NaN())
	if err := serialize.SaveNPY(nan, x); err != nil {
		t.Fatal(err)
	}
	flat := filepath.Join(t.TempDir(), "flat.npy")
	x1, _ := tensor.New(tensor.Float32, 784)
	if err := serialize.SaveNPY(flat, x1); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", lenetPrefix, "10"}, `no -input for data input "data"`},
		{[]string{"run", lenetPrefix, "ten"}, "EPOCH"},
		{[]string{"run", "-input", "../../testdata/samples/mnist-00.npy", lenetPrefix, "11"}, "LeNet-0011.params"},
		{[]string{"run", "-input", "../../testdata/samples/mnist-00.npy", "-outputs", "nope_output", lenetPrefix, "10"}, "nope_output"},
		{[]string{"run", "-input", "../../testdata/samples/mnist-00.npy", "-out", "x.txt", lenetPrefix, "10"}, ".npy or .npz"},
		{[]string{"run", "-symbol", lenetPrefix + "-symbol.json", lenetPrefix, "10"}, "either PREFIX EPOCH"},
		{[]string{"run", "-input", nan, lenetPrefix, "10"}, "element 30 (flat index) is NaN"},
		// Bind and Predict errors name the model and the input files.
		{[]string{"run", "-input", flat, lenetPrefix, "10"}, "LeNet-symbol.json + LeNet-0010.params on " + flat + ": "},
		{[]string{"run", "-input", "../../testdata/samples/mnist-batch.npy", "-outputs", "fc1_output", "-symbol", lenetPrefix + "-symbol.json", "-params", "../../testdata/mxnet/sm-mlp-dummy/model-0000.params"}, "have no \"conv1_weight\""},
	} {
		code, _, errs := mxgo(t, c.args...)
		if code != 1 || !strings.Contains(errs, c.want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and one line mentioning %q", c.args, code, errs, c.want)
		}
	}
}

func TestBenchModelJSON(t *testing.T) {
	code, out, errs := mxgo(t, "bench", "model", "-batch", "4", "-threads", "1", "-time", "20ms", "-shape", "data=1,1,28,28", "-json", lenetPrefix, "10")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r map[string]float64
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	for _, k := range []string{"batch", "threads", "p50_us", "p90_us", "samples_per_s", "allocs_per_predict"} {
		if _, ok := r[k]; !ok {
			t.Errorf("missing %q in %s", k, out)
		}
	}
	if r["batch"] != 4 || r["threads"] != 1 || !(r["p50_us"] > 0) || r["p90_us"] < r["p50_us"] || !(r["samples_per_s"] > 0) {
		t.Errorf("implausible result %s", out)
	}
	if r["allocs_per_predict"] >= 1 {
		t.Errorf("allocs_per_predict = %v, want 0", r["allocs_per_predict"])
	}
	// An MLP's input shape follows from its first FullyConnected weight.
	mlp := "../../testdata/mxnet/sm-mlp-dummy/model"
	if code, out, errs = mxgo(t, "bench", "model", "-time", "10ms", mlp, "0"); code != 0 || !strings.Contains(out, "samples/s") {
		t.Errorf("sm-mlp-dummy: exit %d, %q %q", code, out, errs)
	}
	if code, _, errs = mxgo(t, "bench", "model", "-time", "10ms", lenetPrefix, "10"); code != 1 || !strings.Contains(errs, "-shape data=") {
		t.Errorf("LeNet without -shape: exit %d, %q", code, errs)
	}
}
