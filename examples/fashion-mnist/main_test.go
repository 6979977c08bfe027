package main

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/mxgo/mxgo/train"
)

func TestNetworksBind(t *testing.T) {
	for _, name := range []string{"mlp", "lenet", "lenet-relu"} {
		sym, err := Network(name)
		if err != nil {
			t.Fatal(err)
		}
		m, err := train.NewModule(sym, []string{"data"}, []string{"softmax_label"})
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Bind(map[string][]int{"data": {2, 1, 28, 28}}, map[string][]int{"softmax_label": {2}}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if _, err := Network("resnet"); err == nil {
		t.Error("unknown network: no error")
	}
}

// TestTrainMLPOneEpoch trains the MLP for one epoch on Debian's
// dataset-fashion-mnist (skipped when absent or with -short) and checks
// the reloaded checkpoint's test accuracy.
func TestTrainMLPOneEpoch(t *testing.T) {
	const dir = "/usr/share/datasets/fashion-mnist"
	if testing.Short() {
		t.Skip("full-dataset training skipped with -short")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s absent (install Debian's dataset-fashion-mnist)", dir)
	}
	sym, err := Network("mlp")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), &out, sym, "mlp", dir, t.TempDir(), 1, 0.1); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`reloaded from .*: test accuracy ([0-9.]+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no reload line in:\n%s", out.String())
	}
	if acc, _ := strconv.ParseFloat(m[1], 64); acc < 0.8 {
		t.Errorf("test accuracy after one epoch %.4f, want >= 0.8\n%s", acc, out.String())
	}
}
