package executor

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/tensor"
)

func apply(t *testing.T, b *graph.Builder, op, name string, attrs map[string]string, in ...*graph.Symbol) *graph.Symbol {
	t.Helper()
	s, err := b.Apply(op, graph.Call{Name: name, Inputs: in, Attrs: attrs})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func f32(t *testing.T, v []float32, shape ...int) *tensor.Tensor {
	t.Helper()
	x, err := tensor.FromSlice(v, shape...)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// testNet: data(N,3) -> fc1(4) -> relu -> +fc1 (residual) -> scratch(x3)
// -> shift(aux) -> loss(label).
func testNet(t *testing.T) *graph.Symbol {
	b := graph.NewBuilder()
	data, _ := b.Variable("data")
	fc := apply(t, b, "_xt_fc", "fc1", map[string]string{"num_hidden": "4"}, data)
	r := apply(t, b, "_xt_relu", "relu1", nil, fc)
	sum := apply(t, b, "_xt_add", "add1", nil, r, fc)
	sc := apply(t, b, "_xt_scratch", "sc1", nil, sum)
	sh := apply(t, b, "_xt_shift", "sh1", nil, sc)
	return apply(t, b, "_xt_loss", "out", nil, sh)
}

func testParams(t *testing.T) map[string]*tensor.Tensor {
	return map[string]*tensor.Tensor{
		"arg:fc1_weight": f32(t, []float32{1, 0, 0, 0, 1, 0, 0, 0, 1, -1, -1, -1}, 4, 3),
		"aux:sh1_moving": f32(t, []float32{10, 20, 30, 40}, 4),
	}
}

// reference computes testNet by hand for data (n,3).
func reference(x []float32, w []float32, mv []float32, n int) []float32 {
	out := make([]float32, n*4)
	for i := range n {
		for j := range 4 {
			var s float32
			for l := range 3 {
				s += x[i*3+l] * w[j*3+l]
			}
			out[i*4+j] = (max(s, 0)+s)*3 + mv[j]
		}
	}
	return out
}

func TestBindPredict(t *testing.T) {
	sym := testNet(t)
	params := testParams(t)
	m, err := Bind(sym, params, nil, map[string][]int{"data": {2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.InputNames(); len(got) != 1 || got[0] != "data" {
		t.Errorf("InputNames = %v", got)
	}
	if got := m.OutputNames(); len(got) != 1 || got[0] != "out_output" {
		t.Errorf("OutputNames = %v", got)
	}
	x := []float32{1, -2, 3, -4, 5, -6}
	outs, err := m.Predict(context.Background(), []*tensor.Tensor{f32(t, x, 2, 3)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := f32(t, reference(x, params["arg:fc1_weight"].Float32s(), params["aux:sh1_moving"].Float32s(), 2), 2, 4)
	if !tensor.Equal(outs[0], want) {
		t.Fatalf("got %v want %v", outs[0].Float32s(), want.Float32s())
	}
	info := m.PlanInfo()
	if info.ArenaBytes <= 0 || info.ArenaBytes >= info.NaiveBytes || info.Steps != 6 {
		t.Errorf("plan info %+v: expected reuse", info)
	}

	// Another batch size: a second plan, same weights.
	x3 := []float32{1, 1, 1, 2, 2, 2, 0, 0, -1}
	outs3, err := m.Predict(context.Background(), []*tensor.Tensor{f32(t, x3, 3, 3)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want3 := reference(x3, params["arg:fc1_weight"].Float32s(), params["aux:sh1_moving"].Float32s(), 3)
	if !tensor.Equal(outs3[0], f32(t, want3, 3, 4)) {
		t.Fatalf("batch 3: got %v want %v", outs3[0].Float32s(), want3)
	}
	// And back: the reused output slice is filled in place.
	again, err := m.Predict(context.Background(), []*tensor.Tensor{f32(t, x, 2, 3)}, outs)
	if err != nil || again[0] != outs[0] || !tensor.Equal(again[0], want) {
		t.Fatalf("reuse: %v, same tensor %v", err, again[0] == outs[0])
	}
}

func TestPredictZeroAllocs(t *testing.T) {
	m, err := Bind(testNet(t), testParams(t), nil, map[string][]int{"data": {2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	in := []*tensor.Tensor{f32(t, []float32{1, 2, 3, 4, 5, 6}, 2, 3)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outs, _ := m.Predict(ctx, in, nil)
	allocs := testing.AllocsPerRun(200, func() {
		var err error
		if outs, err = m.Predict(ctx, in, outs); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Predict allocates %.1f times per call after warm-up", allocs)
	}
}

func TestPredictConcurrent(t *testing.T) {
	params := testParams(t)
	m, err := Bind(testNet(t), params, nil, map[string][]int{"data": {1, 3}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 1 + g%3
			x := make([]float32, n*3)
			for i := range x {
				x[i] = float32(g*7+i) - 50
			}
			var outs []*tensor.Tensor
			for range 20 {
				var err error
				outs, err = m.Predict(context.Background(), []*tensor.Tensor{f32(t, x, n, 3)}, outs)
				if err != nil {
					errs <- err
					return
				}
				want := reference(x, params["arg:fc1_weight"].Float32s(), params["aux:sh1_moving"].Float32s(), n)
				if !tensor.Equal(outs[0], f32(t, want, n, 4)) {
					errs <- errors.New("wrong result under concurrency")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestSetParamsAndGetParams(t *testing.T) {
	params := testParams(t)
	m, err := Bind(testNet(t), params, nil, map[string][]int{"data": {1, 3}})
	if err != nil {
		t.Fatal(err)
	}
	args, aux := m.GetParams()
	if args["fc1_weight"] != params["arg:fc1_weight"] || aux["sh1_moving"] != params["aux:sh1_moving"] || len(args) != 1 || len(aux) != 1 {
		t.Fatalf("GetParams: %v %v", args, aux)
	}
	w2 := f32(t, []float32{2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0}, 4, 3)
	mv2 := f32(t, []float32{0, 0, 0, 0}, 4)
	// Gluon-style plain names work too.
	if err := m.SetParams(map[string]*tensor.Tensor{"fc1_weight": w2}, map[string]*tensor.Tensor{"sh1_moving": mv2}); err != nil {
		t.Fatal(err)
	}
	x := []float32{1, 2, 3}
	outs, err := m.Predict(context.Background(), []*tensor.Tensor{f32(t, x, 1, 3)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := reference(x, w2.Float32s(), mv2.Float32s(), 1); !tensor.Equal(outs[0], f32(t, want, 1, 4)) {
		t.Errorf("after SetParams: %v want %v", outs[0].Float32s(), want)
	}
	bad := f32(t, make([]float32, 6), 2, 3)
	if err := m.SetParams(map[string]*tensor.Tensor{"fc1_weight": bad, "aux:sh1_moving": mv2}, nil); err == nil || !strings.Contains(err.Error(), "fc1_weight") {
		t.Errorf("SetParams with a wrong shape: %v", err)
	}
	if err := m.SetParams(map[string]*tensor.Tensor{"fc1_weight": w2}, nil); err == nil || !strings.Contains(err.Error(), "sh1_moving") {
		t.Errorf("SetParams without aux: %v", err)
	}
}

func TestBindErrors(t *testing.T) {
	sym := testNet(t)
	p := testParams(t)
	shapes := map[string][]int{"data": {2, 3}}
	cases := []struct {
		name   string
		params map[string]*tensor.Tensor
		shapes map[string][]int
		opts   []Option
		want   string
	}{
		{"missing weight", map[string]*tensor.Tensor{"aux:sh1_moving": p["aux:sh1_moving"]}, shapes, nil, "argument fc1_weight"},
		{"missing aux", map[string]*tensor.Tensor{"arg:fc1_weight": p["arg:fc1_weight"]}, shapes, nil, "auxiliary state sh1_moving"},
		{"wrong weight shape", map[string]*tensor.Tensor{"arg:fc1_weight": f32(t, make([]float32, 8), 4, 2), "aux:sh1_moving": p["aux:sh1_moving"]}, shapes, nil, "fc1_weight"},
		{"unknown input", p, map[string][]int{"data": {2, 3}, "nope": {1}}, nil, `"nope"`},
		{"bad output", p, shapes, []Option{WithOutputs("fc9_output")}, "fc9_output"},
		{"bad threads", p, shapes, []Option{WithThreads(0)}, "WithThreads"},
		{"float16 weight", map[string]*tensor.Tensor{"arg:fc1_weight": must(p["arg:fc1_weight"].AsType(tensor.Float16)), "aux:sh1_moving": p["aux:sh1_moving"]}, shapes, nil, "fc1_weight"},
	}
	for _, c := range cases {
		_, err := Bind(sym, c.params, nil, c.shapes, c.opts...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want mention of %s", c.name, err, c.want)
		}
	}
	// An op without a kernel fails at bind, naming the node.
	b := graph.NewBuilder()
	d, _ := b.Variable("data")
	u, err := b.Apply("_xt_nokernel", graph.Call{Name: "up", Inputs: []*graph.Symbol{d}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Bind(u, nil, nil, map[string][]int{"data": {1, 1, 2, 2}})
	if err == nil || !strings.Contains(err.Error(), `"_xt_nokernel" (node up) has no kernel`) {
		t.Errorf("op without kernel: %v", err)
	}
}

func must(t *tensor.Tensor, err error) *tensor.Tensor {
	if err != nil {
		panic(err)
	}
	return t
}

func TestFeatureExtractionAndCancel(t *testing.T) {
	params := testParams(t)
	m, err := Bind(testNet(t), params, nil, map[string][]int{"data": {1, 3}}, WithOutputs("fc1_output", "relu1_output"))
	if err != nil {
		t.Fatal(err)
	}
	outs, err := m.Predict(context.Background(), []*tensor.Tensor{f32(t, []float32{1, -2, 3}, 1, 3)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !tensor.Equal(outs[0], f32(t, []float32{1, -2, 3, -2}, 1, 4)) || !tensor.Equal(outs[1], f32(t, []float32{1, 0, 3, 0}, 1, 4)) {
		t.Errorf("internals: %v %v", outs[0].Float32s(), outs[1].Float32s())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Predict(ctx, []*tensor.Tensor{f32(t, []float32{1, 2, 3}, 1, 3)}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := m.Predict(context.Background(), nil, nil); err == nil {
		t.Error("no inputs must fail")
	}
	if _, err := m.Predict(context.Background(), []*tensor.Tensor{f32(t, []float32{1, 2}, 1, 2)}, nil); err == nil {
		t.Error("wrong input width must fail")
	}
}

func TestPlanCacheBounded(t *testing.T) {
	m, err := Bind(testNet(t), testParams(t), nil, map[string][]int{"data": {1, 3}}, WithPlanCache(2))
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 6; n++ {
		if err := m.Reshape(map[string][]int{"data": {n, 3}}); err != nil {
			t.Fatal(err)
		}
	}
	if len(m.plans) != 2 || !matches(m.plans[0], []dims{{6, 3}}) || !matches(m.plans[1], []dims{{5, 3}}) {
		t.Errorf("plan cache holds %d plans", len(m.plans))
	}
	if err := m.Reshape(map[string][]int{"data": {2, 5}}); err == nil {
		t.Error("Reshape to a width that does not fit the weights must fail")
	}
}

func TestDataInputs(t *testing.T) {
	sym := testNet(t)
	got, err := DataInputs(sym, testParams(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	// fc1_weight and sh1_moving have values; out_label feeds only a loss.
	if len(got) != 1 || got[0] != "data" {
		t.Fatalf("DataInputs = %v, want [data]", got)
	}
	got, err = DataInputs(sym, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "data,fc1_weight" {
		t.Fatalf("DataInputs without params = %v, want [data fc1_weight]", got)
	}
}
