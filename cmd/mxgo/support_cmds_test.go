package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// unknownOpLeNet writes LeNet's symbol with its first Activation renamed to
// an operator mxgo does not have, and returns the symbol path.
func unknownOpLeNet(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(lenetPrefix + "-symbol.json")
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte(`"op": "Activation"`), []byte(`"op": "QActivation"`), 1)
	path := filepath.Join(t.TempDir(), "q-symbol.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestInspectReportsUnsupportedOps(t *testing.T) {
	var got struct {
		Unsupported  []string `json:"unsupported_ops"`
		OutputShapes [][]int  `json:"output_shapes"`
	}
	for _, c := range []struct {
		file        string
		unsupported []string
		shapes      [][]int
	}{
		{lenetPrefix + "-symbol.json", []string{}, [][]int{{1, 10}}},
		// The unknown op's output (and everything after it) has no shape.
		{unknownOpLeNet(t), []string{"QActivation"}, [][]int{nil}},
	} {
		code, out, errs := mxgo(t, "inspect", "-json", "-shape", "data=1,1,28,28", c.file)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.file, code, errs)
		}
		if !strings.Contains(out, `"unsupported_ops":[`) {
			t.Errorf("%s: no unsupported_ops list in %s", c.file, out)
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Unsupported, c.unsupported) {
			t.Errorf("%s: unsupported_ops %v, want %v", c.file, got.Unsupported, c.unsupported)
		}
		if len(got.OutputShapes) != len(c.shapes) || !slices.Equal(got.OutputShapes[0], c.shapes[0]) || (c.shapes[0] == nil) != (got.OutputShapes[0] == nil) {
			t.Errorf("%s: output_shapes %v, want %v", c.file, got.OutputShapes, c.shapes)
		}
	}
}

func TestRunReportsUnknownOpBeforeMissingInputs(t *testing.T) {
	code, _, errs := mxgo(t, "run", "-symbol", unknownOpLeNet(t), "-params", lenetPrefix+"-0010.params")
	if code != 1 || !strings.Contains(errs, "QActivation") || strings.Contains(errs, "-input") {
		t.Errorf("exit %d, stderr %q: want the unknown operator named, not the missing input", code, errs)
	}
}
