package executor

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// TestZeroInputNodes: ops without inputs run through inference and the
// executor, as a head on their own (a graph with no inputs at all) and as
// a begin state whose unknown batch dim (MXNet 1.x's 0) is inferred from
// its consumer.
func TestZeroInputNodes(t *testing.T) {
	b := graph.NewBuilder()
	r := apply(t, b, "_arange", "r", map[string]string{"start": "2", "stop": "5", "repeat": "2"})
	m, err := Bind(r, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Predict(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{2, 2, 3, 3, 4, 4}; !slices.Equal(out[0].Float32s(), want) {
		t.Errorf("_arange: %v, want %v", out[0].Float32s(), want)
	}

	b = graph.NewBuilder()
	data, _ := b.Variable("data")
	z := apply(t, b, "_full", "z", map[string]string{"shape": "(0, 3)", "value": "1.5"})
	sum := apply(t, b, "elemwise_add", "sum", nil, data, z)
	for _, batch := range []int{2, 5} {
		m, err := Bind(sum, nil, nil, map[string][]int{"data": {batch, 3}})
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float32, batch*3)
		for i := range x {
			x[i] = float32(i)
		}
		out, err := m.Predict(context.Background(), []*tensor.Tensor{f32(t, x, batch, 3)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range out[0].Float32s() {
			if v != x[i]+1.5 {
				t.Fatalf("batch %d: element %d is %g, want %g", batch, i, v, x[i]+1.5)
			}
		}
	}
}

// TestArangeInferRange: _arange with infer_range takes its length from the
// consumer (RangeShape leaves it unknown) and fills start + i·step.
func TestArangeInferRange(t *testing.T) {
	b := graph.NewBuilder()
	data, _ := b.Variable("data")
	r := apply(t, b, "_arange", "r", map[string]string{"start": "1", "step": "2", "infer_range": "True"})
	sum := apply(t, b, "elemwise_add", "sum", nil, data, r)
	m, err := Bind(sum, nil, nil, map[string][]int{"data": {4}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Predict(context.Background(), []*tensor.Tensor{f32(t, []float32{10, 20, 30, 40}, 4)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{11, 23, 35, 47}; !slices.Equal(out[0].Float32s(), want) {
		t.Errorf("got %v, want %v", out[0].Float32s(), want)
	}
}

// TestRNNBindErrors: a parameters input of the wrong length and a bad RNN
// attribute fail at bind, naming the node and the input or attribute.
func TestRNNBindErrors(t *testing.T) {
	build := func(attrs map[string]string) *graph.Symbol {
		b := graph.NewBuilder()
		data, _ := b.Variable("data")
		h0 := apply(t, b, "_zeros", "h0", map[string]string{"shape": "(1, 0, 4)"})
		c0 := apply(t, b, "_zeros", "c0", map[string]string{"shape": "(1, 0, 4)"})
		p, _ := b.Variable("lstm_parameters")
		return apply(t, b, "RNN", "lstm0", attrs, data, p, h0, c0)
	}
	attrs := map[string]string{"mode": "lstm", "state_size": "4", "num_layers": "1"}
	shapes := map[string][]int{"data": {3, 2, 5}}
	n := (5 + 4 + 2) * 16
	for _, c := range []struct {
		attrs  map[string]string
		params int
		want   []string
	}{
		{attrs, n + 1, []string{"lstm_parameters"}},
		{attrs, n - 16, []string{"lstm_parameters"}},
	} {
		params := map[string]*tensor.Tensor{"arg:lstm_parameters": f32(t, make([]float32, c.params), c.params)}
		_, err := Bind(build(c.attrs), params, nil, shapes)
		t.Logf("%d parameters: %v", c.params, err)
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("%v with %d parameters: err = %v, want mention of %q", c.attrs, c.params, err, w)
			}
		}
	}
	params := map[string]*tensor.Tensor{"arg:lstm_parameters": f32(t, make([]float32, n), n)}

	// Attributes outside MXNet's domain in a model file fail at bind.
	var buf bytes.Buffer
	if err := serialize.WriteSymbol(&buf, build(attrs), nil); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{`"state_size": "4"`, `"state_size": "4", "projection_size": "9"`, "projection_size"},
		{`"mode": "lstm"`, `"mode": "lstm", "p": "1.5"`, "p"},
		{`"shape": "(1, 0, 4)"`, `"shape": "(1, -7, 4)"`, "shape"},
	} {
		js := strings.Replace(buf.String(), c.from, c.to, 1)
		if js == buf.String() {
			t.Fatalf("%s not in %s", c.from, js)
		}
		sym, err := serialize.ReadSymbol(strings.NewReader(js))
		if err == nil {
			_, err = Bind(sym, params, nil, shapes)
		}
		t.Logf("%s: %v", c.to, err)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "node") {
			t.Errorf("%s: err = %v, want the node and %q", c.to, err, c.want)
		}
	}
	m, err := Bind(build(attrs), params, nil, shapes)
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.Predict(context.Background(), []*tensor.Tensor{f32(t, make([]float32, 30), 3, 2, 5)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out[0].Shape(), []int{3, 2, 4}) {
		t.Errorf("output shape %v", out[0].Shape())
	}
}
