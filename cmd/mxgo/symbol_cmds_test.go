package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const mxnetData = "../../testdata/mxnet/"

func readTestFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(mxnetData + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInspectSymbolJSON(t *testing.T) {
	var out bytes.Buffer
	name := "sm-mlp-dummy/model-symbol.json"
	if err := inspectSymbol(&out, name, readTestFile(t, name), true, nil); err != nil {
		t.Fatal(err)
	}
	want := `{"kind":"symbol","mxnet_version":10800,"arguments":["data","fullyconnected0_weight","fullyconnected0_bias","fullyconnected1_weight","fullyconnected1_bias","fullyconnected2_weight","fullyconnected2_bias","softmax_label"],"auxiliary_states":[],"outputs":["softmax_output"],"ops":{"Activation":2,"Flatten":1,"FullyConnected":3,"SoftmaxOutput":1},"unsupported_ops":[]}` + "\n"
	if out.String() != want {
		t.Errorf("got  %s\nwant %s", out.String(), want)
	}
	out.Reset()
	name = "gluoncv-cifar-resnet20-v1/cifar_resnet20_v1-symbol.json"
	if err := inspectSymbol(&out, name, readTestFile(t, name), true, map[string][]int{"data": {1, 3, 32, 32}}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"mxnet_version":20000`, `"auxiliary_states":["cifarresnetv10_batchnorm0_running_mean",`, `"BatchNorm":21`, `"output_shapes":[[1,10]]`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("missing %s in %s", want, out.String())
		}
	}
	// Legacy files report the version MXNet assumes for them.
	out.Reset()
	name = "mtcnn-det4/det4-symbol.json"
	if err := inspectSymbol(&out, name, readTestFile(t, name), true, nil); err != nil || !strings.Contains(out.String(), `"mxnet_version":800,`) {
		t.Errorf("det4: %v %s", err, out.String())
	}
}

func TestInspectSymbolTable(t *testing.T) {
	var out bytes.Buffer
	name := "lenet-module/LeNet-symbol.json"
	if err := inspectSymbol(&out, name, readTestFile(t, name), false, map[string][]int{"data": {1, 1, 28, 28}}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{
		"Layer (type)", "Output Shape", "Param #", "Previous Layer",
		"conv1 (Convolution)                     (1,6,24,24)             156         data",
		"fc1 (FullyConnected)                    (1,120)                 30840       pool2",
		"                                                                            softmax_label",
		"Total params: 44426", "Output softmax_output: (1,10)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	// Unknown ops still print, with a note.
	out.Reset()
	name = "bmxnet-mnist-binary/binarized_mnist_32bit-symbol.json"
	if err := inspectSymbol(&out, name, readTestFile(t, name), false, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `qconvolution0 (QConvolution)`) || !strings.Contains(out.String(), `note: unknown operator "QActivation" (node qactivation0)`) {
		t.Errorf("bmxnet:\n%s", out.String())
	}
	// Bad input names a file and an offset; bad shapes name the node.
	err := inspectSymbol(&out, "bad.json", []byte(`{"nodes": [], "arg_nodes": [], "heads": [], "x": 1}`), false, nil)
	if err == nil || err.Error() != `bad.json: symbol JSON: offset 44: unknown field "x" (expect nodes, arg_nodes, node_row_ptr, heads, attrs)` {
		t.Errorf("bad json: %v", err)
	}
	err = inspectSymbol(&out, name, readTestFile(t, "lenet-module/LeNet-symbol.json"), false, map[string][]int{"data": {1, 1, 28, 28}, "fc1_weight": {120, 100}})
	if err == nil || !strings.Contains(err.Error(), "node fc1 (FullyConnected): data shape (1,16,4,4) does not match weight (120,100)") {
		t.Errorf("shape error: %v", err)
	}
	if err := inspectSymbol(&out, name, readTestFile(t, "lenet-module/LeNet-symbol.json"), false, map[string][]int{"image": {1}}); err == nil || !strings.Contains(err.Error(), "no input named image") {
		t.Errorf("unknown input: %v", err)
	}
}

func TestShapeFlags(t *testing.T) {
	s := shapeFlags{}
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.Var(s, "shape", "")
	if err := fs.Parse([]string{"-shape", "data=1,3,224,224", "-shape", "label = 1"}); err != nil {
		t.Fatal(err)
	}
	if s.String() != "data=1,3,224,224 label=1" {
		t.Errorf("flags %s", s)
	}
	for _, bad := range []string{"1,3,224,224", "=1", "data=1,x", "data=", "data=-2"} {
		if err := s.Set(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := s.Set("data=-1,3"); err != nil || s["data"][0] != -1 {
		t.Errorf("unknown dim: %v", err)
	}
}

func TestConvertSymbol(t *testing.T) {
	dir := t.TempDir()
	for name, version := range map[string]int{
		"lenet-module/LeNet-symbol.json":                               10301,
		"sm-mlp-dummy/model-symbol.json":                               10800,
		"gluoncv-cifar-resnet20-v1/cifar_resnet20_v1-symbol.json":      20000,
		"lffd-lp-small/symbol_64_512_16L_3scales_v1_small_deploy.json": 10500,
	} {
		out := filepath.Join(dir, "out.json")
		data := readTestFile(t, name)
		if err := convertSymbol(name, out, data, version); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(out)
		if !bytes.Equal(got, data) {
			t.Errorf("%s: convert -mxnet-version %d changed the bytes", name, version)
		}
	}
	// Default: upgraded and stamped as MXNet 1.9.1.
	out := filepath.Join(dir, "det1.json")
	if err := convertSymbol("det1", out, readTestFile(t, "mtcnn-det1/det1-symbol.json"), 0); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if !bytes.HasSuffix(got, []byte(`"attrs": {"mxnet_version": ["int", 10901]}`+"\n}")) || !bytes.Contains(got, []byte(`"__init__": "[\"Constant\", {\"value\": 0.25}]"`)) {
		t.Errorf("converted det1:\n%s", got)
	}
	if err := convertSymbol("x.json", out, []byte("{"), 0); err == nil || !strings.HasPrefix(err.Error(), "x.json: symbol JSON: offset 1:") {
		t.Errorf("bad input: %v", err)
	}
	if err := convertSymbol("x.json", filepath.Join(dir, "no", "such", "dir.json"), readTestFile(t, "lenet-module/LeNet-symbol.json"), 0); err == nil {
		t.Error("unwritable output accepted")
	}
}
