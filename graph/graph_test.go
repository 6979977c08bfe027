package graph

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// apply is Builder.Apply that fails the test on error.
func apply(t *testing.T, b *Builder, op string, c Call) *Symbol {
	t.Helper()
	s, err := b.Apply(op, c)
	if err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	return s
}

func variable(t *testing.T, b *Builder, name string, opts ...VarOption) *Symbol {
	t.Helper()
	s, err := b.Variable(name, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func in(s ...*Symbol) []*Symbol { return s }

// spec26 builds FORMATS.md §2.6's example network.
func spec26(t *testing.T) *Symbol {
	b := NewBuilder()
	data := variable(t, b, "data")
	fc1 := apply(t, b, "FullyConnected", Call{Name: "fc1", Inputs: in(data), Attrs: map[string]string{"num_hidden": "4"}})
	bn1 := apply(t, b, "BatchNorm", Call{Name: "bn1", Inputs: in(fc1)})
	act := apply(t, b, "Activation", Call{Name: "relu1", Inputs: in(bn1), Attrs: map[string]string{"act_type": "relu"}})
	return apply(t, b, "SoftmaxOutput", Call{Name: "softmax", Inputs: in(act)})
}

func TestListsOfTheSpecExample(t *testing.T) {
	s := spec26(t)
	if got, want := s.ListArguments(), []string{"data", "fc1_weight", "fc1_bias", "bn1_gamma", "bn1_beta", "softmax_label"}; !slices.Equal(got, want) {
		t.Errorf("arguments %v, want %v", got, want)
	}
	if got, want := s.ListAuxiliaryStates(), []string{"bn1_moving_mean", "bn1_moving_var"}; !slices.Equal(got, want) {
		t.Errorf("aux %v, want %v", got, want)
	}
	if got, want := s.ListInputs(), []string{"data", "fc1_weight", "fc1_bias", "bn1_gamma", "bn1_beta", "bn1_moving_mean", "bn1_moving_var", "softmax_label"}; !slices.Equal(got, want) {
		t.Errorf("inputs %v, want %v", got, want)
	}
	if got := s.ListOutputs(); !slices.Equal(got, []string{"softmax_output"}) {
		t.Errorf("outputs %v", got)
	}
	internals := s.Internals()
	want := []string{"data", "fc1_weight", "fc1_bias", "fc1_output", "bn1_gamma", "bn1_beta", "bn1_moving_mean", "bn1_moving_var", "bn1_output", "relu1_output", "softmax_label", "softmax_output"}
	if got := internals.ListOutputs(); !slices.Equal(got, want) {
		t.Errorf("internals %v\nwant %v", got, want)
	}
	fc1, err := internals.OutputByName("fc1_output")
	if err != nil || fc1.ListOutputs()[0] != "fc1_output" {
		t.Fatalf("internals['fc1_output']: %v %v", fc1, err)
	}
	if _, err := internals.OutputByName("nope"); err == nil {
		t.Error("unknown output name accepted")
	}
	// Implicit variables copy the op's attributes; BatchNorm's moving stats
	// get __init__ and are used at version 1.
	nodes := s.Nodes()
	byName := map[string]*Node{}
	for _, n := range nodes {
		byName[n.Name] = n
	}
	if got := byName["fc1_weight"].Attrs; !maps.Equal(got, map[string]string{"num_hidden": "4"}) {
		t.Errorf("fc1_weight attrs %v", got)
	}
	if got := byName["bn1_moving_mean"].Attrs["__init__"]; got != `["zero", {}]` {
		t.Errorf("moving_mean __init__ %q", got)
	}
	if got := byName["bn1_moving_var"].Attrs["__init__"]; got != `["one", {}]` {
		t.Errorf("moving_var __init__ %q", got)
	}
	bn := byName["bn1"]
	if v := []int{bn.Inputs[3].Version, bn.Inputs[4].Version, bn.Inputs[1].Version}; !slices.Equal(v, []int{1, 1, 0}) {
		t.Errorf("versions %v", v)
	}
	if len(bn.Attrs) != 0 {
		t.Errorf("bn attrs %v", bn.Attrs)
	}
	// DFS order of FORMATS §2.6.
	var order []string
	for _, n := range nodes {
		order = append(order, n.Name)
	}
	if want := "data fc1_weight fc1_bias fc1 bn1_gamma bn1_beta bn1_moving_mean bn1_moving_var bn1 relu1 softmax_label softmax"; strings.Join(order, " ") != want {
		t.Errorf("order %v", order)
	}
}

func TestAutomaticNames(t *testing.T) {
	b := NewBuilder()
	data := variable(t, b, "data")
	fc := apply(t, b, "FullyConnected", Call{Inputs: in(data), Attrs: map[string]string{"num_hidden": "2"}})
	act := apply(t, b, "Activation", Call{Inputs: in(fc), Attrs: map[string]string{"act_type": "relu"}})
	fc2 := apply(t, b, "FullyConnected", Call{Inputs: in(act), Attrs: map[string]string{"num_hidden": "2"}})
	act2 := apply(t, b, "Activation", Call{Inputs: in(fc2), Attrs: map[string]string{"act_type": "relu"}})
	sum := apply(t, b, "_Plus", Call{Inputs: in(act2, act)})
	sum2 := apply(t, b, "elemwise_add", Call{Inputs: in(sum, act)})
	got := strings.Join(sum2.Internals().ListOutputs(), " ")
	want := "data fullyconnected0_weight fullyconnected0_bias fullyconnected0_output activation0_output fullyconnected1_weight fullyconnected1_bias fullyconnected1_output activation1_output _plus0_output elemwise_add0_output"
	if got != want {
		t.Errorf("names\n%s\nwant\n%s", got, want)
	}
	if n := sum.Outputs[0].Node; n.OpName != "elemwise_add" {
		t.Errorf("_Plus node op %q", n.OpName)
	}
	p := b.Prefix("mynet_")
	fc3 := apply(t, p, "FullyConnected", Call{Name: "fc1", Inputs: in(data), Attrs: map[string]string{"num_hidden": "10"}})
	if got := fc3.ListArguments(); !slices.Equal(got, []string{"data", "mynet_fc1_weight", "mynet_fc1_bias"}) {
		t.Errorf("prefix: %v", got)
	}
	fc4 := apply(t, p, "FullyConnected", Call{Inputs: in(data), Attrs: map[string]string{"num_hidden": "10"}})
	if name, _ := fc4.Name(); name != "mynet_fullyconnected0" {
		t.Errorf("prefixed automatic name %q", name)
	}
}

func TestArithmeticNamesLikePython(t *testing.T) {
	old := Default
	Default = NewBuilder()
	defer func() { Default = old }()
	a, b := Variable("a"), Variable("b")
	steps := []struct {
		f          func() (*Symbol, error)
		name, op   string
		scalarAttr string
	}{
		{func() (*Symbol, error) { return a.Add(b) }, "_plus0", "elemwise_add", ""},
		{func() (*Symbol, error) { return a.Sub(b) }, "_minus0", "elemwise_sub", ""},
		{func() (*Symbol, error) { return a.Mul(b) }, "_mul0", "elemwise_mul", ""},
		{func() (*Symbol, error) { return a.Div(b) }, "_div0", "elemwise_div", ""},
		{func() (*Symbol, error) { return a.Pow(b) }, "_power0", "_power", ""},
		{func() (*Symbol, error) { return a.AddScalar(2) }, "_plusscalar0", "_plus_scalar", "2"},
		{func() (*Symbol, error) { return a.SubScalar(0.5) }, "_minusscalar0", "_minus_scalar", "0.5"},
		{func() (*Symbol, error) { return a.RSubScalar(2) }, "_rminusscalar0", "_rminus_scalar", "2"},
		{func() (*Symbol, error) { return a.MulScalar(1e-5) }, "_mulscalar0", "_mul_scalar", "1e-05"},
		{func() (*Symbol, error) { return a.Neg() }, "_mulscalar1", "_mul_scalar", "-1.0"},
		{func() (*Symbol, error) { return a.DivScalar(2.0) }, "_divscalar0", "_div_scalar", "2.0"},
		{func() (*Symbol, error) { return a.RDivScalar(1) }, "_rdivscalar0", "_rdiv_scalar", "1"},
		{func() (*Symbol, error) { return a.PowScalar(2) }, "_powerscalar0", "_power_scalar", "2"},
		{func() (*Symbol, error) { return a.RPowScalar(2) }, "_rpower_scalar0", "_rpower_scalar", "2"},
		{func() (*Symbol, error) { return a.Add(b) }, "_plus1", "elemwise_add", ""},
	}
	for _, st := range steps {
		s, err := st.f()
		if err != nil {
			t.Fatal(err)
		}
		n := s.Outputs[0].Node
		if n.Name != st.name || n.OpName != st.op || n.Attrs["scalar"] != st.scalarAttr {
			t.Errorf("got %s %s %v, want %s %s scalar=%q", n.Name, n.OpName, n.Attrs, st.name, st.op, st.scalarAttr)
		}
	}
	if _, err := a.AddScalar("2"); err == nil {
		t.Error("string scalar accepted")
	}
}

func TestPyFormatting(t *testing.T) {
	floats := map[float64]string{
		1: "1.0", 0.2: "0.2", 1.2: "1.2", 0.0001: "0.0001", 1e-5: "1e-05", 1e16: "1e+16", 1e15: "1000000000000000.0",
		-1: "-1.0", 1234.5: "1234.5", 1.5e300: "1.5e+300", 0.001: "0.001", 123456789.125: "123456789.125", -1e18: "-1e+18",
	}
	for f, want := range floats {
		if got := PyFloat(f); got != want {
			t.Errorf("PyFloat(%v) = %q, want %q", f, got, want)
		}
	}
	if got := PyFloat32(0.1); got != "0.1" {
		t.Errorf("PyFloat32(0.1) = %q", got)
	}
	if PyTuple([]int{2}) != "(2,)" || PyTuple([]int{3, 224, 224}) != "(3, 224, 224)" || PyTuple(nil) != "()" || PyList([]int{2}) != "[2]" || PyList([]int{1, 2}) != "[1, 2]" {
		t.Error("tuple/list formatting")
	}
}

func TestVariableAttributes(t *testing.T) {
	b := NewBuilder().WithAttrs(map[string]string{"ctx_group": "stage1"})
	v := variable(t, b, "w", Shape(3, 4), DType(tensor.Float16), Init("zeros"), LRMult(2), WDMult(0.5), StorageType("row_sparse"), Attr("__custom__", "x"), Attr("mirror_stage", "True"))
	want := map[string]string{"__ctx_group__": "stage1", "__shape__": "(3, 4)", "__dtype__": "2", "__init__": "zeros", "__lr_mult__": "2.0", "__wd_mult__": "0.5", "__storage_type__": "1", "__custom__": "x", "__mirror_stage__": "True"}
	if got := v.Outputs[0].Node.Attrs; !maps.Equal(got, want) {
		t.Errorf("attrs %v\nwant %v", got, want)
	}
	if got, ok := v.Attr("lr_mult"); !ok || got != "2.0" {
		t.Errorf("Attr(lr_mult) %q %v", got, ok)
	}
	if got, ok := v.Attr("name"); !ok || got != "w" {
		t.Errorf("Attr(name) %q", got)
	}
	if la := v.ListAttr(); la["ctx_group"] != "stage1" || la["__ctx_group__"] != "stage1" {
		t.Errorf("ListAttr %v", la)
	}
	if _, err := b.Variable("x", Attr("weight_lr_mult", "1")); err == nil {
		t.Error("deprecated suffix form accepted")
	}
	if _, err := b.Variable("x", StorageType("dense")); err == nil {
		t.Error("bad storage type accepted")
	}
	if err := v.SetAttr("wd_mult", "3"); err != nil || v.Outputs[0].Node.Attrs["__wd_mult__"] != "3" {
		t.Errorf("SetAttr: %v", err)
	}
}

func TestOpAttributesAndErrors(t *testing.T) {
	b := NewBuilder()
	data := variable(t, b, "data", Attr("lr_mult", "0.2"))
	// Op kwargs starting with a hidden key are stored hidden; the implicit
	// variables copy them.
	fc := apply(t, b.WithAttrs(map[string]string{"ctx_group": "stage1"}), "FullyConnected", Call{Name: "fc1", Inputs: in(data), Attrs: map[string]string{"num_hidden": "128", "wd_mult": "0.3"}})
	d := fc.AttrDict()
	if d["fc1"]["__wd_mult__"] != "0.3" || d["fc1"]["__ctx_group__"] != "stage1" || d["fc1_bias"]["__wd_mult__"] != "0.3" || d["data"]["__lr_mult__"] != "0.2" || d["data"]["lr_mult"] != "0.2" {
		t.Errorf("attr dict %v", d)
	}
	errs := []struct {
		op   string
		c    Call
		want string
	}{
		{"NoSuchOp", Call{}, "not registered"},
		{"FullyConnected", Call{Inputs: in(data)}, "num_hidden"},
		{"FullyConnected", Call{Inputs: in(data), Attrs: map[string]string{"num_hidden": "2", "weight_lr_mult": "1"}}, "deprecated"},
		{"FullyConnected", Call{Inputs: in(data, data, data, data), Attrs: map[string]string{"num_hidden": "2"}}, "takes 3"},
		{"FullyConnected", Call{Inputs: in(data), Named: map[string]*Symbol{"gamma": data}, Attrs: map[string]string{"num_hidden": "2"}}, "no input named gamma"},
		{"Activation", Call{Inputs: in(Group(data, data)), Attrs: map[string]string{"act_type": "relu"}}, "single-output"},
	}
	for _, e := range errs {
		if _, err := b.Apply(e.op, e.c); err == nil || !strings.Contains(err.Error(), e.want) {
			t.Errorf("%s %+v: %v, want %q", e.op, e.c, err, e.want)
		}
	}
	// Named inputs; PReLU's gamma gets its initializer.
	gamma := variable(t, b, "g")
	pr := apply(t, b, "LeakyReLU", Call{Inputs: in(data), Named: map[string]*Symbol{"gamma": gamma}, Attrs: map[string]string{"act_type": "prelu"}})
	if got := gamma.Outputs[0].Node.Attrs["__init__"]; got != `["Constant", {"value": 0.25}]` {
		t.Errorf("prelu gamma init %q", got)
	}
	if got := pr.ListArguments(); !slices.Equal(got, []string{"data", "g"}) {
		t.Errorf("prelu args %v", got)
	}
	// Concat gets num_args from its input count.
	cat := apply(t, b, "Concat", Call{Inputs: in(data, data, gamma)})
	if got := cat.Outputs[0].Node.Attrs["num_args"]; got != "3" {
		t.Errorf("num_args %q", got)
	}
	// A BatchNorm output used twice bumps the shared moving stats again.
	mm := variable(t, b, "mm")
	bnA := apply(t, b, "BatchNorm", Call{Inputs: in(data), Named: map[string]*Symbol{"moving_mean": mm}})
	bnB := apply(t, b, "BatchNorm", Call{Inputs: in(bnA), Named: map[string]*Symbol{"moving_mean": mm}})
	if v := bnB.Outputs[0].Node.Inputs[3].Version; v != 2 {
		t.Errorf("second mutation version %d", v)
	}
	if got := Group(bnB, bnA).Internals().ListOutputs(); got[0] != "data" || !slices.Contains(got, "mm") {
		t.Errorf("internals of a group: %v", got)
	}
	// SliceChannel exposes every output; indexing picks one.
	split := apply(t, b, "SliceChannel", Call{Name: "split0", Inputs: in(data), Attrs: map[string]string{"num_outputs": "3"}})
	if got := split.ListOutputs(); !slices.Equal(got, []string{"split0_output0", "split0_output1", "split0_output2"}) {
		t.Errorf("split outputs %v", got)
	}
	one, err := split.Output(1)
	if err != nil || one.ListOutputs()[0] != "split0_output1" {
		t.Errorf("split[1]: %v", err)
	}
	if _, err := split.Output(3); err == nil {
		t.Error("out-of-range output accepted")
	}
	if _, ok := split.Name(); !ok {
		t.Error("multi-output single node has a name")
	}
	if _, ok := Group(split, data).Name(); ok {
		t.Error("group has a name")
	}
}

// lenet builds LeNet like the lenet-module checkpoint's script.
func lenet(t *testing.T, b *Builder) *Symbol {
	data := variable(t, b, "data")
	conv := func(x *Symbol, name, filters string) *Symbol {
		return apply(t, b, "Convolution", Call{Name: name, Inputs: in(x), Attrs: map[string]string{"kernel": "(5, 5)", "num_filter": filters}})
	}
	act := func(x *Symbol, name string) *Symbol {
		return apply(t, b, "Activation", Call{Name: name, Inputs: in(x), Attrs: map[string]string{"act_type": "relu"}})
	}
	pool := func(x *Symbol, name string) *Symbol {
		return apply(t, b, "Pooling", Call{Name: name, Inputs: in(x), Attrs: map[string]string{"kernel": "(2, 2)", "pool_type": "max", "stride": "(2, 2)"}})
	}
	fc := func(x *Symbol, name, n string) *Symbol {
		return apply(t, b, "FullyConnected", Call{Name: name, Inputs: in(x), Attrs: map[string]string{"num_hidden": n}})
	}
	x := pool(act(conv(data, "conv1", "6"), "relu1"), "pool1")
	x = pool(act(conv(x, "conv2", "16"), "relu2"), "pool2")
	x = act(fc(x, "fc1", "120"), "relu3")
	x = act(fc(x, "fc2", "84"), "relu4")
	x = fc(x, "fc3", "10")
	return apply(t, b, "SoftmaxOutput", Call{Name: "softmax", Inputs: in(x)})
}

func TestInferShapesLeNet(t *testing.T) {
	s := lenet(t, NewBuilder())
	g, err := Index(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := g.Check(); err != nil {
		t.Fatal(err)
	}
	tab, err := InferShapes(g, map[string][]int{"data": {1, 1, 28, 28}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Complete(); err != nil {
		t.Fatal(err)
	}
	if got := ops.ShapeString(tab.Outputs()[0]); got != "(1,10)" {
		t.Errorf("output %s", got)
	}
	for name, want := range map[string]string{"conv1_weight": "(6,1,5,5)", "conv2_weight": "(16,6,5,5)", "fc1_weight": "(120,256)", "fc3_bias": "(10,)", "softmax_label": "(1,)"} {
		if s, ok := tab.Input(name); !ok || ops.ShapeString(s) != want {
			t.Errorf("%s: %s, want %s", name, ops.ShapeString(s), want)
		}
	}
	// Pooling's hidden workspace entry exists and has the output's shape.
	if g.NumEntries() != len(g.Nodes)+2 {
		t.Errorf("%d entries for %d nodes", g.NumEntries(), len(g.Nodes))
	}
	types, err := InferTypes(g, map[string]tensor.DType{"data": tensor.Float32})
	if err != nil {
		t.Fatal(err)
	}
	if err := types.Complete(); err != nil {
		t.Fatal(err)
	}
	// Without the data shape nothing is inferred (MXNet's shape functions
	// need the data's rank), and Complete names what is missing.
	tab, err = InferShapes(g, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Complete(); !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "data") {
		t.Errorf("incomplete: %v", err)
	}
	if s, _ := tab.Input("conv1_weight"); s != nil {
		t.Errorf("partial conv1_weight %s", ops.ShapeString(s))
	}
	if _, err := InferShapes(g, map[string][]int{"dta": {1}}); err == nil || !strings.Contains(err.Error(), "dta") {
		t.Errorf("unknown input name: %v", err)
	}
}

func TestInferShapeErrorNamesNode(t *testing.T) {
	b := NewBuilder()
	data := variable(t, b, "data")
	fc1 := apply(t, b, "FullyConnected", Call{Name: "fc1", Inputs: in(data), Attrs: map[string]string{"num_hidden": "100"}})
	fc2 := apply(t, b, "FullyConnected", Call{Name: "fc2", Inputs: in(fc1), Attrs: map[string]string{"num_hidden": "64"}})
	g, err := Index(fc2)
	if err != nil {
		t.Fatal(err)
	}
	_, err = InferShapes(g, map[string][]int{"data": {32, 10}, "fc2_weight": {64, 128}})
	if err == nil || err.Error() != "node fc2 (FullyConnected): data shape (32,100) does not match weight (64,128)" {
		t.Errorf("error %v", err)
	}
	var ne *NodeError
	if !errors.As(err, &ne) || ne.Node != "fc2" {
		t.Errorf("not a NodeError: %T", err)
	}
	// Backward inference: the data's batch dim from a known weight-free
	// output is not possible, but the shape flows from data to everything.
	tab, err := InferShapes(g, map[string][]int{"data": {-1, 10}})
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Unknown(); !slices.Equal(got, []string{"data (?,10)", "fc1_output (?,100)", "fc2_output (?,64)"}) {
		t.Errorf("unknown %v", got)
	}
}

func TestUnknownOpLoadsButDoesNotInfer(t *testing.T) {
	data := NewVariableNode("data", nil)
	w := NewVariableNode("q1_weight", map[string]string{"num_filter": "8"})
	q := NewOpNode("QConvolution", "q1", map[string]string{"num_filter": "8", "act_bit": "1"})
	q.Inputs = []Entry{{Node: data}, {Node: w}}
	q.FileOutputs = 1
	act := NewOpNode("Activation", "act", map[string]string{"act_type": "tanh"})
	act.Inputs = []Entry{{Node: q}}
	s := &Symbol{Outputs: []Entry{{Node: act}}}
	if got := s.ListArguments(); !slices.Equal(got, []string{"data", "q1_weight"}) {
		t.Errorf("args %v", got)
	}
	if got := s.Internals().ListOutputs(); !slices.Equal(got, []string{"data", "q1_weight", "q1_output", "act_output"}) {
		t.Errorf("internals %v", got)
	}
	g, err := Index(s)
	if err != nil {
		t.Fatal(err)
	}
	err = g.Check()
	if err == nil || err.Error() != `unknown operator "QConvolution" (node q1)` || !errors.Is(err, ErrUnknownOp) {
		t.Errorf("check: %v", err)
	}
	tab, err := InferShapes(g, map[string][]int{"data": {1, 1, 28, 28}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tab.Complete(); !errors.Is(err, ErrUnknownOp) {
		t.Errorf("complete: %v", err)
	}
	bad := NewOpNode("FullyConnected", "fc", map[string]string{"num_hiden": "3"})
	if bad.ParseErr == nil || bad.CheckOp() == nil || !strings.Contains(bad.CheckOp().Error(), "node fc (FullyConnected)") {
		t.Errorf("bad attrs: %v", bad.CheckOp())
	}
}

func TestIndexRejectsMissingOutputs(t *testing.T) {
	data := NewVariableNode("data", nil)
	fc := NewOpNode("Activation", "a", map[string]string{"act_type": "relu"})
	fc.Inputs = []Entry{{Node: data}}
	if _, err := Index(&Symbol{Outputs: []Entry{{Node: fc, Index: 1}}}); err == nil {
		t.Error("head to output 1 of a 1-output op accepted")
	}
	fc2 := NewOpNode("Activation", "b", map[string]string{"act_type": "relu"})
	fc2.Inputs = []Entry{{Node: data, Index: 2}}
	if _, err := Index(&Symbol{Outputs: []Entry{{Node: fc2}}}); err == nil {
		t.Error("input to output 2 of a variable accepted")
	}
}

func TestShapeAttributeSemantics(t *testing.T) {
	// MXNet 1.x reads 0 in __shape__ as an unknown dim and () as an
	// unknown shape; numpy-shape graphs (is_np_shape) take them literally.
	for _, np := range []int{0, 1} {
		b := NewBuilder()
		x := variable(t, b, "x", Attr("__shape__", "(2, 0)"))
		y := variable(t, b, "y", Attr("__shape__", "()"))
		s := Group(x, y)
		s.NPShape = np
		g, err := Index(s)
		if err != nil {
			t.Fatal(err)
		}
		tab, err := InferShapes(g, nil)
		if err != nil {
			t.Fatal(err)
		}
		gx, _ := tab.Input("x")
		gy, _ := tab.Input("y")
		got := ops.ShapeString(gx) + " " + ops.ShapeString(gy)
		want := map[int]string{0: "(2,?) ?", 1: "(2,0) ()"}[np]
		if got != want {
			t.Errorf("np=%d: %s, want %s", np, got, want)
		}
	}
	bad := NewVariableNode("z", map[string]string{"__shape__": "(2,"})
	g, _ := Index(&Symbol{Outputs: []Entry{{Node: bad}}})
	if _, err := InferShapes(g, nil); err == nil || !strings.Contains(err.Error(), "node z (null): bad __shape__") {
		t.Errorf("bad __shape__: %v", err)
	}
	types, err := InferTypes(g, nil)
	if err != nil || types.Complete() == nil {
		t.Errorf("types of an untyped variable: %v", err)
	}
	dt := NewVariableNode("d", map[string]string{"__dtype__": "2"})
	g, _ = Index(&Symbol{Outputs: []Entry{{Node: dt}}})
	if types, err := InferTypes(g, nil); err != nil || types.Types[0] != tensor.Float16 {
		t.Errorf("__dtype__: %v", err)
	}
}

// TestSymbolInferShape checks InferShape against MXNet's infer_shape for a
// small conv + batchnorm + fc net: arguments, outputs and auxiliary states
// in list order (shapes worked out by MXNet's shape rules by hand).
func TestSymbolInferShape(t *testing.T) {
	b := NewBuilder()
	data, _ := b.Variable("data")
	conv, err := b.Apply("Convolution", Call{Name: "conv", Inputs: []*Symbol{data}, Attrs: map[string]string{"kernel": "(3, 3)", "num_filter": "4"}})
	if err != nil {
		t.Fatal(err)
	}
	bn, err := b.Apply("BatchNorm", Call{Name: "bn", Inputs: []*Symbol{conv}})
	if err != nil {
		t.Fatal(err)
	}
	fc, err := b.Apply("FullyConnected", Call{Name: "fc", Inputs: []*Symbol{bn}, Attrs: map[string]string{"num_hidden": "10"}})
	if err != nil {
		t.Fatal(err)
	}
	args, outs, aux, err := fc.InferShape(map[string][]int{"data": {2, 3, 8, 8}})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint([][]int{{2, 3, 8, 8}, {4, 3, 3, 3}, {4}, {4}, {4}, {10, 144}, {10}})
	if got := fmt.Sprint(args); got != want {
		t.Errorf("args %v (%v), want %v", got, fc.ListArguments(), want)
	}
	if got := fmt.Sprint(outs); got != "[[2 10]]" {
		t.Errorf("outs %v", got)
	}
	if got := fmt.Sprint(aux); got != "[[4] [4]]" {
		t.Errorf("aux %v (%v)", got, fc.ListAuxiliaryStates())
	}
	if _, _, _, err := fc.InferShape(nil); !errors.Is(err, ErrIncomplete) {
		t.Errorf("no shapes: %v, want ErrIncomplete", err)
	}
}

// TestApplyFailureKeepsName checks that a failed Apply consumes no
// automatic name: the next successful Apply gets the name it would have.
func TestApplyFailureKeepsName(t *testing.T) {
	b := NewBuilder()
	data, _ := b.Variable("data")
	if _, err := b.Apply("FullyConnected", Call{Inputs: []*Symbol{data}, Attrs: map[string]string{"num_hidden": "zero"}}); err == nil {
		t.Fatal("bad num_hidden accepted")
	}
	fc, err := b.Apply("FullyConnected", Call{Inputs: []*Symbol{data}, Attrs: map[string]string{"num_hidden": "3"}})
	if err != nil {
		t.Fatal(err)
	}
	if name, _ := fc.Name(); name != "fullyconnected0" {
		t.Fatalf("name %q, want fullyconnected0", name)
	}
}

// TestTypedParams builds LeNet-like layers from typed parameter structs and
// checks the attributes are exactly what the Python calls print (as in the
// real MXNet-written LeNet-symbol.json: conv1 {'kernel': '(5, 5)',
// 'num_filter': '6'}; fields left zero are not given, so pool_type='max',
// the default, would need Attrs to appear).
func TestTypedParams(t *testing.T) {
	b := NewBuilder()
	data, _ := b.Variable("data")
	conv, err := b.Apply("Convolution", Call{Name: "conv1", Inputs: []*Symbol{data},
		Params: ops.ConvolutionParam{ConvGeometry: ops.ConvGeometry{Kernel: []int{5, 5}, NumFilter: 6}}})
	if err != nil {
		t.Fatal(err)
	}
	act, err := b.Apply("Activation", Call{Name: "relu1", Inputs: []*Symbol{conv}, Params: &ops.ActivationParam{ActType: ops.ActType(0)}})
	if err != nil {
		t.Fatal(err)
	}
	pool, err := b.Apply("Pooling", Call{Name: "pool1", Inputs: []*Symbol{act},
		Params: ops.PoolingParam{Kernel: []int{2, 2}, Stride: []int{2, 2}, PoolType: ops.PoolAvg}})
	if err != nil {
		t.Fatal(err)
	}
	fc, err := b.Apply("FullyConnected", Call{Name: "fc1", Inputs: []*Symbol{pool}, Params: ops.FullyConnectedParam{NumHidden: 120}})
	if err != nil {
		t.Fatal(err)
	}
	drop, err := b.Apply("Dropout", Call{Name: "drop", Inputs: []*Symbol{fc}, Params: ops.DropoutParam{P: 0.25}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"conv1": {"kernel": "(5, 5)", "num_filter": "6"},
		"relu1": {"act_type": "relu"},
		"pool1": {"kernel": "(2, 2)", "pool_type": "avg", "stride": "(2, 2)"},
		"fc1":   {"num_hidden": "120"},
		"drop":  {"p": "0.25"},
	}
	for _, n := range drop.Nodes() {
		if w, ok := want[n.Name]; ok && fmt.Sprint(n.Attrs) != fmt.Sprint(w) {
			t.Errorf("%s attrs %v, want %v", n.Name, n.Attrs, w)
		}
	}
	if _, err := b.Apply("FullyConnected", Call{Inputs: []*Symbol{pool}, Params: ops.ActivationParam{}}); err == nil {
		t.Error("FullyConnected accepted ActivationParam")
	}
	if _, err := b.Apply("FullyConnected", Call{Inputs: []*Symbol{pool}, Params: ops.FullyConnectedParam{NumHidden: 3},
		Attrs: map[string]string{"num_hidden": "4"}}); err == nil {
		t.Error("num_hidden in both Params and Attrs accepted")
	}
}
