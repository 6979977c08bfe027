package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/serialize"
)

const pickleData = "../../testdata/pickle/"

func TestInspectPickle(t *testing.T) {
	code, out, errs := mxgo(t, "inspect", "-json", pickleData+"adam-0001.states")
	want := `{"kind":"ndarray","format":"pickle","arrays":[{"name":"0/0","dtype":"float32","shape":[2,3],"storage":"default"},{"name":"0/1","dtype":"float32","shape":[2,3],"storage":"default"},{"name":"1/0","dtype":"float32","shape":[3],"storage":"default"},{"name":"1/1","dtype":"float32","shape":[3],"storage":"default"}]}` + "\n"
	if code != 0 || out != want {
		t.Fatalf("exit %d %s\n got %s\nwant %s", code, errs, out, want)
	}
	for _, p := range []string{"nd_p2.pkl", "nd_p3.pkl", "nd_p4.pkl", "nd_p5.pkl"} {
		code, out, errs = mxgo(t, "inspect", pickleData+p)
		if code != 0 || !strings.Contains(out, "pickle NDArray file, list of 1 arrays") || !strings.Contains(out, "float32  (2,3)") {
			t.Fatalf("%s: exit %d %s %s", p, code, out, errs)
		}
	}
	code, _, errs = mxgo(t, "inspect", pickleData+"bad_os_system_p4.pkl")
	if code != 1 || !strings.Contains(errs, `"posix"."system"`) || !strings.Contains(errs, "bad_os_system_p4.pkl") || strings.Count(errs, "\n") != 1 {
		t.Fatalf("foreign class: exit %d %q", code, errs)
	}
}

func TestConvertPickle(t *testing.T) {
	dir := t.TempDir()
	// .states → .params (named by index path) and back to a pickle dict.
	params := filepath.Join(dir, "sgd.params")
	if code, _, errs := mxgo(t, "convert", "-format", "v2", pickleData+"sgd-0001.states", params); code != 0 {
		t.Fatal(errs)
	}
	l, err := serialize.LoadNDArrays(params)
	if err != nil || !l.Named || len(l.Arrays) != 2 || l.Arrays[0].Name != "0" || l.Arrays[1].Name != "1" {
		t.Fatalf("%v %+v", err, l)
	}
	// pickle → pickle keeps the structure byte for byte (no memo): the
	// goldens' no-memo form written by Python.
	out := filepath.Join(dir, "adam.states")
	if code, _, errs := mxgo(t, "convert", pickleData+"adam-0001.states", out); code != 0 {
		t.Fatal(errs)
	}
	got, _ := os.ReadFile(out)
	want, _ := os.ReadFile(pickleData + "nomemo/adam.pkl")
	if !bytes.Equal(got, want) {
		t.Fatalf("re-saved states differ from Python's no-memo pickle")
	}
	states, err := serialize.LoadOptimizerStates(out)
	if err != nil || len(states) != 2 || !states[0].Tuple || len(states[1].Arrays) != 2 {
		t.Fatalf("%v %+v", err, states)
	}
	// A .params file → a pickle dict of name → NDArray, and a dtype cast
	// inside a pickle.
	pk := filepath.Join(dir, "lenet.pkl")
	if code, _, errs := mxgo(t, "convert", "-format", "pickle", "-dtype", "float16", mxnetData+"lenet-module/LeNet-0010.params", pk); code != 0 {
		t.Fatal(errs)
	}
	code, outText, _ := mxgo(t, "inspect", pk)
	if code != 0 || !strings.Contains(outText, "pickle NDArray file, dict of 10 arrays") || !strings.Contains(outText, "arg:fc1_weight    float16  (120,256)") {
		t.Fatalf("%s", outText)
	}
}
