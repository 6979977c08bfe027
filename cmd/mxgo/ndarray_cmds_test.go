package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

var ndarrayTestFiles = []string{
	"autogluon-tabnn-embed/net.params", "bmxnet-mnist-binary/binarized_mnist_32bit-0001.params",
	"gluoncv-cifar-resnet20-v1/cifar_resnet20_v1-0000.params", "go-predictor-fc/go_test-0001.params",
	"lenet-module/LeNet-0010.params", "lffd-lp-small/train_64_512_16L_3scales_v1_small_iter_1000000.params",
	"mean-image-nd/mean_224.nd", "mtcnn-det1/det1-0001.params", "mtcnn-det4/det4-0001.params",
	"mxnet-unittest/legacy_ndarray.v0", "sm-linreg/model-0000.params", "sm-mlp-dummy/model-0000.params",
	"sockeye-2.1-v2/params.best", "sockeye-2.4-mx2-npz/params.best", "straightdope-ndarray/test.ndarray",
	"straightdope-ndarray/test1.ndarray", "straightdope-ndarray/test2.ndarray",
}

func TestInspectNDArrayJSON(t *testing.T) {
	code, out, errs := mxgo(t, "inspect", mxnetData+"sm-linreg/model-0000.params", "-json")
	want := `{"kind":"ndarray","format":"v1","arrays":[{"name":"arg:fc1_weight","dtype":"float32","shape":[1,2],"storage":"default"},{"name":"arg:fc1_bias","dtype":"float32","shape":[1],"storage":"default"}]}` + "\n"
	if code != 0 || out != want {
		t.Fatalf("exit %d %s\n got %s\nwant %s", code, errs, out, want)
	}
	code, out, _ = mxgo(t, "inspect", "-json", mxnetData+"straightdope-ndarray/test.ndarray")
	if code != 0 || !strings.Contains(out, `"format":"v1","arrays":[{"name":"","dtype":"float32","shape":[100,100]`) {
		t.Fatalf("list file: %d %s", code, out)
	}
	// A none array has "shape": null.
	dir := t.TempDir()
	p := filepath.Join(dir, "none.params")
	x, _ := tensor.FromSlice([]float32{1})
	if err := serialize.SaveNDArrays(p, serialize.NewNDArrayList([]string{"a", "b"}, []*tensor.Tensor{x, nil}), serialize.FormatLegacy); err != nil {
		t.Fatal(err)
	}
	code, out, _ = mxgo(t, "inspect", "-json", p)
	var got ndarrayJSON
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Arrays[1].Shape != nil || !strings.Contains(out, `"shape":null`) {
		t.Fatalf("none: %d %s", code, out)
	}
	// Symbol JSON goes to the symbol inspector.
	code, out, _ = mxgo(t, "inspect", "-json", mxnetData+"sm-linreg/model-symbol.json")
	if code != 0 || !strings.HasPrefix(out, `{"kind":"symbol"`) {
		t.Fatalf("symbol: %d %s", code, out)
	}
}

func TestInspectNDArrayTable(t *testing.T) {
	code, out, _ := mxgo(t, "inspect", mxnetData+"lenet-module/LeNet-0010.params")
	for _, want := range []string{"v2 NDArray file, dict of 10 arrays", "arg:fc1_weight    float32  (120,256)   default  122880", "Total: 10 arrays, 44426 elements, 177704 bytes"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestConvertIdentity(t *testing.T) {
	dir := t.TempDir()
	for _, f := range ndarrayTestFiles {
		out := filepath.Join(dir, "out")
		if code, _, errs := mxgo(t, "convert", mxnetData+f, out); code != 0 {
			t.Fatalf("%s: exit %d %s", f, code, errs)
		}
		a, _ := os.ReadFile(mxnetData + f)
		b, _ := os.ReadFile(out)
		if !bytes.Equal(a, b) {
			t.Fatalf("%s: convert changed the bytes", f)
		}
	}
}

func TestConvertFormatAndDType(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "v2.params")
	if code, _, errs := mxgo(t, "convert", mxnetData+"sm-linreg/model-0000.params", out, "-format", "v2"); code != 0 {
		t.Fatal(errs)
	}
	l, err := serialize.LoadNDArrays(out)
	if err != nil || l.Format != serialize.FormatV2 || l.Arrays[0].Name != "arg:fc1_weight" {
		t.Fatalf("%v %+v", err, l)
	}
	h := filepath.Join(dir, "h.params")
	if code, _, errs := mxgo(t, "convert", "-dtype", "float16", out, h); code != 0 {
		t.Fatal(errs)
	}
	l, err = serialize.LoadNDArrays(h)
	if err != nil || l.Arrays[0].Tensor.DType() != tensor.Float16 || l.Arrays[0].Tensor.Float64At(0) != 1 {
		t.Fatalf("%v %+v", err, l)
	}
	// In place: in and out the same file.
	if code, _, errs := mxgo(t, "convert", h, h, "-format", "npz"); code != 0 {
		t.Fatal(errs)
	}
	if l, err = serialize.LoadNDArrays(h); err != nil || l.Format != serialize.FormatNPZ {
		t.Fatalf("%v", err)
	}
	// V2 refuses empty arrays; the failed output is not left behind.
	e, _ := tensor.New(tensor.Float32, 0)
	ep := filepath.Join(dir, "empty.params")
	if err := serialize.SaveNDArrays(ep, serialize.NewNDArrayList(nil, []*tensor.Tensor{e}), serialize.FormatV3); err != nil {
		t.Fatal(err)
	}
	code, _, errs := mxgo(t, "convert", ep, filepath.Join(dir, "x"), "-format", "v2")
	if code != 1 || !strings.Contains(errs, "empty array") {
		t.Fatalf("%d %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("failed output left behind")
	}
	if code, _, _ := mxgo(t, "convert", "-dtype", "int8", out, h); code != 1 {
		t.Error("-dtype int8 accepted")
	}
	if code, _, _ := mxgo(t, "convert", "-format", "v9", out, h); code != 1 {
		t.Error("-format v9 accepted")
	}
}

func TestNDArrayBadInputOneLine(t *testing.T) {
	dir := t.TempDir()
	good, _ := os.ReadFile(mxnetData + "sm-linreg/model-0000.params")
	p := filepath.Join(dir, "trunc.params")
	os.WriteFile(p, good[:50], 0o644)
	for _, args := range [][]string{{"inspect", p}, {"inspect", "-json", p}, {"convert", p, filepath.Join(dir, "o")}} {
		code, out, errs := mxgo(t, args...)
		if code != 1 || out != "" || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, p+": offset ") {
			t.Errorf("%v: exit %d stdout %q stderr %q", args, code, out, errs)
		}
	}
}
