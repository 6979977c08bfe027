package serialize

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

const testdata = "../testdata/mxnet/"

// symbolFiles are every symbol JSON in the test data.
var symbolFiles = []string{
	"mxnet-unittest/save_000800.json",
	"mtcnn-det1/det1-symbol.json",
	"mtcnn-det4/det4-symbol.json",
	"bmxnet-mnist-binary/binarized_mnist_32bit-symbol.json",
	"go-predictor-fc/go_test-symbol.json",
	"sm-linreg/model-symbol.json",
	"mxnet-unittest/test_mkldnn_test_mkldnn_model_model1.json",
	"lenet-module/LeNet-symbol.json",
	"lffd-lp-small/symbol_64_512_16L_3scales_v1_small_deploy.json",
	"sm-mlp-dummy/model-symbol.json",
	"gluoncv-cifar-resnet20-v1/cifar_resnet20_v1-symbol.json",
	"djl-symbols/mlp-symbol.json",
	"djl-symbols/resnet18_v1-symbol.json",
	"djl-symbols/squeezenet1.0-symbol.json",
	"djl-symbols/static_bert_qa-symbol.json",
}

// mxnetPrinted are the files MXNet 1.x/2.0 itself printed (the others are
// older generations or were re-indented by other tools).
var mxnetPrinted = []string{
	"mxnet-unittest/test_mkldnn_test_mkldnn_model_model1.json",
	"lenet-module/LeNet-symbol.json",
	"lffd-lp-small/symbol_64_512_16L_3scales_v1_small_deploy.json",
	"sm-mlp-dummy/model-symbol.json",
	"gluoncv-cifar-resnet20-v1/cifar_resnet20_v1-symbol.json",
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(testdata + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func parseFile(t testing.TB, name string) *SymbolFile {
	t.Helper()
	f, err := ParseSymbol(readFile(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

func TestMXNetFilesReprintByteForByte(t *testing.T) {
	for _, name := range mxnetPrinted {
		data := readFile(t, name)
		f := parseFile(t, name)
		if len(f.Upgrades) > 0 && f.Upgrades[len(f.Upgrades)-1] != "Parse" {
			t.Errorf("%s: unexpected upgrades %v", name, f.Upgrades)
		}
		var buf bytes.Buffer
		if err := WriteSymbol(&buf, f.Symbol, &SymbolOptions{MXNetVersion: f.MXNetVersion}); err != nil {
			t.Fatal(err)
		}
		// The 1.2 file gained a trailing newline when it was committed;
		// MXNet never writes one.
		want := bytes.TrimSuffix(data, []byte("\n"))
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: re-printed bytes differ (%d vs %d bytes); first difference at %d", name, buf.Len(), len(want), firstDiff(buf.Bytes(), want))
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// generic decodes JSON into Go values for structural comparison.
func generic(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOtherFilesReprintStructurally(t *testing.T) {
	// Re-indented DJL exports: same JSON value. 0.9-0.12 files: the same
	// except that "attr" is now "attrs" and the version is 1.9.1's.
	for _, name := range []string{"djl-symbols/mlp-symbol.json", "djl-symbols/resnet18_v1-symbol.json", "djl-symbols/squeezenet1.0-symbol.json", "djl-symbols/static_bert_qa-symbol.json", "sm-linreg/model-symbol.json", "go-predictor-fc/go_test-symbol.json"} {
		orig := generic(t, readFile(t, name))
		for _, n := range orig["nodes"].([]any) {
			node := n.(map[string]any)
			if a, ok := node["attr"]; ok {
				node["attrs"] = a
				delete(node, "attr")
			}
		}
		orig["attrs"] = map[string]any{"mxnet_version": []any{"int", float64(DefaultMXNetVersion)}}
		out, err := MarshalSymbol(parseFile(t, name).Symbol, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := generic(t, out)
		if !jsonEqual(orig, got) {
			t.Errorf("%s: structure changed", name)
		}
	}
}

func jsonEqual(a, b any) bool {
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	return bytes.Equal(ab, bb)
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// buildSpecExample builds FORMATS.md §2.6's network; scope is added to
// every node as MXNet 2.0's symbol API does.
func buildSpecExample(t *testing.T, scope string) *graph.Symbol {
	b := graph.NewBuilder()
	attrs := func(kv ...string) map[string]string {
		m := map[string]string{}
		if scope != "" {
			m["__profiler_scope__"] = scope
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	var vopts []graph.VarOption
	if scope != "" {
		vopts = append(vopts, graph.Attr("__profiler_scope__", scope))
	}
	data, err := b.Variable("data", vopts...)
	if err != nil {
		t.Fatal(err)
	}
	step := func(op, name string, x *graph.Symbol, kv ...string) *graph.Symbol {
		s, err := b.Apply(op, graph.Call{Name: name, Inputs: []*graph.Symbol{x}, Attrs: attrs(kv...)})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	x := step("FullyConnected", "fc1", data, "num_hidden", "4")
	x = step("BatchNorm", "bn1", x)
	x = step("Activation", "relu1", x, "act_type", "relu")
	return step("SoftmaxOutput", "softmax", x)
}

func TestSpecExampleDigest(t *testing.T) {
	out, err := MarshalSymbol(buildSpecExample(t, ""), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1629 || sha(out) != "216a1de8e89040faa4b2c6abf275264aa43a9551ebe3156a50dfeac8b880e08f" {
		t.Errorf("1.9.1 print: %d bytes, sha256 %s\n%s", len(out), sha(out), out)
	}
	s := buildSpecExample(t, "<unk>:")
	s.NPShape = 1
	out, err = MarshalSymbol(s, &SymbolOptions{MXNetVersion: 20000})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2311 || sha(out) != "1b547a8df434288bbe407c4420fabb5d0ceb19ab8072e26faa72db27f4e94c03" {
		t.Errorf("2.0 print: %d bytes, sha256 %s\n%s", len(out), sha(out), out)
	}
	// Reading it back gives the same bytes.
	f, err := ParseSymbol(out)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := MarshalSymbol(f.Symbol, &SymbolOptions{MXNetVersion: f.MXNetVersion})
	if !bytes.Equal(again, out) {
		t.Error("2.0 print does not round-trip")
	}
}

// mlp builds the sm-mlp-dummy network as its Module script did.
func buildMLP(t *testing.T) *graph.Symbol {
	b := graph.NewBuilder()
	call := func(op string, x *graph.Symbol, c graph.Call) *graph.Symbol {
		c.Inputs = []*graph.Symbol{x}
		s, err := b.Apply(op, c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	data, _ := b.Variable("data")
	x := call("Flatten", data, graph.Call{})
	for _, h := range []string{"128", "64"} {
		x = call("FullyConnected", x, graph.Call{Attrs: map[string]string{"num_hidden": h}})
		x = call("Activation", x, graph.Call{Attrs: map[string]string{"act_type": "relu"}})
	}
	x = call("FullyConnected", x, graph.Call{Attrs: map[string]string{"num_hidden": "10"}})
	return call("SoftmaxOutput", x, graph.Call{Name: "softmax"})
}

// buildLeNet builds the lenet-module network as its Module script did.
func buildLeNet(t *testing.T) *graph.Symbol {
	b := graph.NewBuilder()
	call := func(op, name string, x *graph.Symbol, kv ...string) *graph.Symbol {
		attrs := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			attrs[kv[i]] = kv[i+1]
		}
		s, err := b.Apply(op, graph.Call{Name: name, Inputs: []*graph.Symbol{x}, Attrs: attrs})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	x, _ := b.Variable("data")
	for i, f := range []string{"6", "16"} {
		n := string(rune('1' + i))
		x = call("Convolution", "conv"+n, x, "kernel", graph.PyTuple([]int{5, 5}), "num_filter", f)
		x = call("Activation", "relu"+n, x, "act_type", "relu")
		x = call("Pooling", "pool"+n, x, "kernel", "(2, 2)", "pool_type", "max", "stride", "(2, 2)")
	}
	x = call("FullyConnected", "fc1", x, "num_hidden", "120")
	x = call("Activation", "relu3", x, "act_type", "relu")
	x = call("FullyConnected", "fc2", x, "num_hidden", "84")
	x = call("Activation", "relu4", x, "act_type", "relu")
	x = call("FullyConnected", "fc3", x, "num_hidden", "10")
	return call("SoftmaxOutput", "softmax", x)
}

func TestRebuildCheckpointsThroughTheSymbolAPI(t *testing.T) {
	cases := []struct {
		file  string
		sym   *graph.Symbol
		opts  SymbolOptions
		input []int
	}{
		{"sm-mlp-dummy/model-symbol.json", buildMLP(t), SymbolOptions{MXNetVersion: 10800}, []int{1, 1, 28, 28}},
		// MXNet 1.3.1 from PyPI had no oneDNN: Pooling has one output.
		{"lenet-module/LeNet-symbol.json", buildLeNet(t), SymbolOptions{MXNetVersion: 10301, NativeBuild: true}, []int{1, 1, 28, 28}},
	}
	for _, c := range cases {
		out, err := MarshalSymbol(c.sym, &c.opts)
		if err != nil {
			t.Fatal(err)
		}
		if want := readFile(t, c.file); !bytes.Equal(out, want) {
			t.Errorf("%s: Go-built graph prints differently at byte %d:\n%s", c.file, firstDiff(out, want), out)
		}
	}
	// With the default (oneDNN) counts, LeNet's two max poolings add a
	// hidden output each, as MXNet 1.9.1 from PyPI prints it.
	out, _ := MarshalSymbol(buildLeNet(t), nil)
	if !bytes.Contains(out, []byte("\n    5, \n    7, \n")) || !bytes.Contains(out, []byte("\n    11, \n    13, \n")) || !bytes.Contains(out, []byte(`["int", 10901]`)) {
		t.Errorf("oneDNN node_row_ptr:\n%s", out)
	}
}

func TestLoad000800LikeMXNetsTest(t *testing.T) {
	// test_load_000800 [mxnet 1.x tests/python/unittest/test_symbol.py]
	// rebuilds the net of save_000800.json and compares.
	b := graph.NewBuilder()
	s1 := b.WithAttrs(map[string]string{"ctx_group": "stage1"})
	data, _ := s1.Variable("data", graph.LRMult(0.2))
	weight, _ := s1.Variable("fc1_weight", graph.LRMult(1.2))
	apply := func(b *graph.Builder, op string, c graph.Call) *graph.Symbol {
		s, err := b.Apply(op, c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	one := func(s *graph.Symbol) []*graph.Symbol { return []*graph.Symbol{s} }
	fc1 := apply(s1, "FullyConnected", graph.Call{Name: "fc1", Inputs: one(data), Named: map[string]*graph.Symbol{"weight": weight}, Attrs: map[string]string{"num_hidden": "128", "wd_mult": "0.3"}})
	act1 := apply(s1, "Activation", graph.Call{Name: "relu1", Inputs: one(fc1), Attrs: map[string]string{"act_type": "relu"}})
	s2 := b.WithAttrs(map[string]string{"ctx_group": "stage2"})
	fc2 := apply(s2, "FullyConnected", graph.Call{Name: "fc2", Inputs: one(act1), Attrs: map[string]string{"num_hidden": "64", "lr_mult": "0.01"}})
	act2 := apply(s2, "Activation", graph.Call{Name: "relu2", Inputs: one(fc2), Attrs: map[string]string{"act_type": "relu"}})
	fc3 := apply(s2, "FullyConnected", graph.Call{Name: "fc3", Inputs: one(act2), Attrs: map[string]string{"num_hidden": "10"}})
	fc3 = apply(s2, "BatchNorm", graph.Call{Name: "batchnorm0", Inputs: one(fc3)})
	sym1 := apply(s2, "SoftmaxOutput", graph.Call{Name: "softmax", Inputs: one(fc3)})

	f := parseFile(t, "mxnet-unittest/save_000800.json")
	sym2 := f.Symbol
	if want := []string{"FixParsing", "Parse", "000800_000900", "000903_000904", "000904_000905"}; !slices.Equal(f.Upgrades, want) {
		t.Errorf("upgrades %v", f.Upgrades)
	}
	for _, l := range []func(*graph.Symbol) []string{(*graph.Symbol).ListArguments, (*graph.Symbol).ListAuxiliaryStates, (*graph.Symbol).ListOutputs} {
		if a, b := l(sym1), l(sym2); !slices.Equal(a, b) {
			t.Errorf("lists differ:\n%v\n%v", a, b)
		}
	}
	if aux := sym2.ListAuxiliaryStates(); !slices.Equal(aux, []string{"batchnorm0_moving_mean", "batchnorm0_moving_var"}) {
		t.Errorf("aux %v", aux)
	}
	attr1, attr2 := sym1.AttrDict(), sym2.AttrDict()
	checked := 0
	for node, kv := range attr1 {
		for k, v := range kv {
			if strings.HasPrefix(k, "__") && strings.HasSuffix(k, "__") {
				checked++
				if attr2[node][k] != v {
					t.Errorf("%s.%s = %q in the built symbol, %q loaded", node, k, v, attr2[node][k])
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("only %d hidden attributes compared", checked)
	}
	for _, c := range []struct{ node, key, value string }{
		{"fc1_weight", "__lr_mult__", "1.2"}, {"fc1_weight", "__ctx_group__", "stage1"},
		{"data", "__ctx_group__", "stage1"}, {"data", "__lr_mult__", "0.2"},
		{"fc2_weight", "__lr_mult__", "0.01"}, {"batchnorm0_moving_var", "__init__", `["one", {}]`},
	} {
		if got := attr2[c.node][c.key]; got != c.value {
			t.Errorf("loaded %s.%s = %q, want %q", c.node, c.key, got, c.value)
		}
	}
	// Shapes agree too (the test binds data (1, 200)).
	for _, s := range []*graph.Symbol{sym1, sym2} {
		g, err := graph.Index(s)
		if err != nil {
			t.Fatal(err)
		}
		tab, err := graph.InferShapes(g, map[string][]int{"data": {1, 200}})
		if err != nil || tab.Complete() != nil {
			t.Fatalf("infer: %v %v", err, tab.Complete())
		}
		if got := tab.Outputs()[0]; !slices.Equal(got, []int{1, 10}) {
			t.Errorf("output %v", got)
		}
	}
	// Re-saved, BatchNorm counts its 3 outputs in node_row_ptr, as MXNet
	// 1.9.1 does when it loads and saves this file (the 0.8 attributes only
	// parse after the upgrade, so the reader could not count them at first).
	out, err := MarshalSymbol(sym2, nil)
	if err != nil {
		t.Fatal(err)
	}
	var saved struct {
		Nodes []struct {
			Op string `json:"op"`
		} `json:"nodes"`
		RowPtr []int `json:"node_row_ptr"`
	}
	if err := json.Unmarshal(out, &saved); err != nil {
		t.Fatal(err)
	}
	for i, n := range saved.Nodes {
		if n.Op == "BatchNorm" {
			if got := saved.RowPtr[i+1] - saved.RowPtr[i]; got != 3 {
				t.Errorf("BatchNorm saved with %d outputs in node_row_ptr, want 3", got)
			}
		}
	}
}

func TestLegacyUpgrades(t *testing.T) {
	// mtcnn (0.8, no version): PReLU gammas get MXNet's initializer and
	// pooling nodes get 1.9.1's oneDNN output count.
	f := parseFile(t, "mtcnn-det1/det1-symbol.json")
	attrs := f.Symbol.AttrDict()
	if got := attrs["prelu1_gamma"]["__init__"]; got != `["Constant", {"value": 0.25}]` {
		t.Errorf("prelu1_gamma __init__ %q", got)
	}
	if got := attrs["conv1"]["cudnn_tune"]; got != "off" {
		t.Errorf("0.8 param kept verbatim: %q", got)
	}
	out, _ := MarshalSymbol(f.Symbol, nil)
	if !bytes.Contains(out, []byte(`"op": "Pooling"`)) || bytes.Contains(out, []byte(`"param"`)) || bytes.Contains(out, []byte("backward_source_id")) {
		t.Error("legacy keys in output")
	}
	// BMXNet (0.9.3): BatchNorm moving stats get __init__ (000903_000904).
	f = parseFile(t, "bmxnet-mnist-binary/binarized_mnist_32bit-symbol.json")
	if got := f.Symbol.AttrDict()["batchnorm1_moving_mean"]["__init__"]; got != `["zero", {}]` {
		t.Errorf("bmxnet moving mean init %q", got)
	}
	// argmax axis -1 is dropped for files before 0.9.5, kept after.
	for version, want := range map[int]bool{904: false, 905: true} {
		js := `{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "argmax", "name": "a", "attrs": {"axis": "-1"}, "inputs": [[0, 0, 0]]}], "arg_nodes": [0], "heads": [[1, 0, 0]], "attrs": {"mxnet_version": ["int", ` + strconv.Itoa(version) + `]}}`
		f, err := ParseSymbol([]byte(js))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := f.Symbol.Outputs[0].Node.Attrs["axis"]; ok != want {
			t.Errorf("version %d: axis kept = %v", version, ok)
		}
	}
	// Suffix hidden keys on an op move to the input variable; on a
	// variable they stay (FixParsing); exact ones gain underscores.
	js := `{"nodes": [{"op": "null", "name": "x", "inputs": [], "attr": {"weight_lr_mult": "3", "mirror_stage": "True"}}, {"op": "null", "name": "w", "inputs": []}, {"op": "FullyConnected", "name": "fc", "attr": {"num_hidden": "2", "no_bias": "True", "weight_wd_mult": "5", "bias_lr_mult": "7", "lr_mult_x": "1"}, "inputs": [[0, 0], [1, 0]]}], "arg_nodes": [0, 1], "heads": [[2, 0]]}`
	f, err := ParseSymbol([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	d := f.Symbol.AttrDict()
	if !maps.Equal(d["x"], map[string]string{"weight_lr_mult": "3", "__mirror_stage__": "True", "mirror_stage": "True"}) || d["w"]["__wd_mult__"] != "5" || d["fc"]["bias_lr_mult"] != "7" || d["fc"]["lr_mult_x"] != "1" {
		t.Errorf("fix parsing: %v", d)
	}
	if err := f.Symbol.Outputs[0].Node.CheckOp(); err == nil {
		t.Error("unknown attributes bias_lr_mult / lr_mult_x parsed") // MXNet rejects them too
	}
}

func TestInferShapesOfBundledGraphs(t *testing.T) {
	cases := []struct {
		file  string
		input map[string][]int
		want  []string
	}{
		{"lenet-module/LeNet-symbol.json", map[string][]int{"data": {1, 1, 28, 28}}, []string{"(1,10)"}},
		{"sm-mlp-dummy/model-symbol.json", map[string][]int{"data": {1, 1, 28, 28}}, []string{"(1,10)"}},
		{"sm-linreg/model-symbol.json", map[string][]int{"data": {1, 2}}, []string{"(1,1)"}},
		{"go-predictor-fc/go_test-symbol.json", map[string][]int{"data": {4, 1}}, []string{"(4,10)"}},
		{"mtcnn-det1/det1-symbol.json", map[string][]int{"data": {1, 3, 12, 12}}, []string{"(1,4,1,1)", "(1,2,1,1)"}},
		{"mtcnn-det1/det1-symbol.json", map[string][]int{"data": {2, 3, 100, 80}}, []string{"(2,4,45,35)", "(2,2,45,35)"}},
		{"mtcnn-det4/det4-symbol.json", map[string][]int{"data": {1, 15, 24, 24}}, []string{"(1,2)", "(1,2)", "(1,2)", "(1,2)", "(1,2)"}},
		{"gluoncv-cifar-resnet20-v1/cifar_resnet20_v1-symbol.json", map[string][]int{"data": {1, 3, 32, 32}}, []string{"(1,10)"}},
		{"mxnet-unittest/test_mkldnn_test_mkldnn_model_model1.json", map[string][]int{"data": {1, 3, 224, 224}}, []string{"(1,1000)"}},
		{"djl-symbols/mlp-symbol.json", map[string][]int{"data": {1, 1, 28, 28}}, []string{"(1,10)"}},
		{"djl-symbols/resnet18_v1-symbol.json", map[string][]int{"data": {1, 3, 224, 224}}, []string{"(1,1000)"}},
		{"djl-symbols/squeezenet1.0-symbol.json", map[string][]int{"data": {1, 3, 224, 224}}, []string{"(1,1000)"}},
		{"lffd-lp-small/symbol_64_512_16L_3scales_v1_small_deploy.json", map[string][]int{"data": {1, 3, 480, 640}},
			// Checked with a small independent Python walk over the JSON
			// (conv arithmetic, slice_axis, elementwise pass-through).
			[]string{"(1,1,29,39)", "(1,4,29,39)", "(1,1,14,19)", "(1,4,14,19)", "(1,1,6,9)", "(1,4,6,9)"}},
	}
	for _, c := range cases {
		g, err := graph.Index(parseFile(t, c.file).Symbol)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		tab, err := graph.InferShapes(g, c.input)
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		var got []string
		for _, s := range tab.Outputs() {
			got = append(got, ops.ShapeString(s))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s %v: outputs %v, want %v", c.file, c.input, got, c.want)
		}
		// Every entry is known except label inputs that nothing constrains.
		for _, u := range tab.Unknown() {
			if !strings.HasSuffix(u, "label") && !strings.Contains(u, "label_output") {
				t.Errorf("%s: %s not inferred", c.file, u)
			}
		}
		types, err := graph.InferTypes(g, map[string]tensor.DType{"data": tensor.Float32})
		if err != nil || types.Complete() != nil {
			t.Errorf("%s: types: %v %v", c.file, err, types.Complete())
		}
	}
	// BERT-QA (Embedding, LayerNorm, batch_dot, erf, where, SequenceMask,
	// broadcast_axis, _contrib_div_sqrt_dim, ...): every op is known and
	// the start/end logits come out as (batch, seq, 2).
	{
		g, _ := graph.Index(parseFile(t, "djl-symbols/static_bert_qa-symbol.json").Symbol)
		tab, err := graph.InferShapes(g, map[string][]int{"data0": {1, 384}, "data1": {1, 384}, "data2": {1}})
		if err != nil || tab.Complete() != nil {
			t.Errorf("BERT-QA: %v %v", err, tab.Complete())
		} else if got := tab.Outputs()[0]; !slices.Equal(got, []int{1, 384, 2}) {
			t.Errorf("BERT-QA output %v, want (1,384,2)", got)
		}
	}
	// Graphs with operators mxgo does not know fail with their name.
	for file, op := range map[string]string{"bmxnet-mnist-binary/binarized_mnist_32bit-symbol.json": "QActivation"} {
		g, _ := graph.Index(parseFile(t, file).Symbol)
		tab, err := graph.InferShapes(g, map[string][]int{"data": {1, 1, 28, 28}})
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		want := `unknown operator "` + op
		if op != "" {
			want += `"`
		}
		if err := tab.Complete(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", file, err)
		}
	}
}

func TestPathHelpers(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "net-symbol.json")
	if err := SaveSymbol(p, buildMLP(t), &SymbolOptions{MXNetVersion: 10800}); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSymbol(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.ListArguments(); len(got) != 8 || got[7] != "softmax_label" {
		t.Errorf("arguments %v", got)
	}
	if _, err := LoadSymbol(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file loaded")
	}
}
