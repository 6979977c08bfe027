package ops

import (
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// inferIndexOp parses attrs and runs shape and type inference on inputs
// of the given shapes and dtypes, as Bind does.
func inferIndexOp(name string, attrs map[string]string, shapes []Shape, types []tensor.DType) ([]Shape, []tensor.DType, error) {
	op, ok := Lookup(name)
	if !ok {
		return nil, nil, nil
	}
	var params any
	if op.Parse != nil {
		p, err := op.Parse(attrs)
		if err != nil {
			return nil, nil, err
		}
		params = p
	}
	n := op.Outputs(params)
	out := make([]Shape, n)
	in := make([]Shape, len(op.Inputs(params)))
	for i := range in {
		if i < len(shapes) {
			in[i] = cloneShape(shapes[i])
		}
	}
	if err := op.InferShape(params, in, out); err != nil {
		return nil, nil, err
	}
	tin := make([]tensor.DType, len(in))
	for i := range tin {
		tin[i] = tensor.Float32
		if i < len(types) {
			tin[i] = types[i]
		}
	}
	tout := make([]tensor.DType, n)
	for i := range tout {
		tout[i] = UnknownType
	}
	infer := op.InferType
	if infer == nil {
		infer = SameType
	}
	if err := infer(params, tin, tout); err != nil {
		return nil, nil, err
	}
	return out, tout, nil
}

// TestIndexOpsRejectBadAttributes: attribute values outside MXNet's
// domain fail at parse or inference time with an error naming the
// problem, never a panic.
func TestIndexOpsRejectBadAttributes(t *testing.T) {
	cases := []struct {
		op     string
		attrs  map[string]string
		shapes []Shape
		want   string
	}{
		{"topk", map[string]string{"k": "6"}, []Shape{{2, 5}}, "k must be"},
		{"topk", map[string]string{"axis": "2"}, []Shape{{2, 5}}, "axis 2 out of range"},
		{"topk", map[string]string{"ret_typ": "values"}, nil, "ret_typ"},
		{"topk", map[string]string{"dtype": "int8"}, nil, "dtype"},
		{"topk", map[string]string{"k": "1"}, []Shape{{3, 0}}, "k must be"},
		{"sort", map[string]string{"axis": "-3"}, []Shape{{2, 5}}, "out of range"},
		{"argsort", map[string]string{"is_ascend": "maybe"}, nil, "is_ascend"},
		{"tile", map[string]string{}, nil, "reps"},
		{"tile", map[string]string{"reps": "(2, -1)"}, []Shape{{2, 3}}, "non-negative"},
		{"tile", map[string]string{"reps": "(4294967296, 4294967296)"}, []Shape{{2, 3}}, "overflow"},
		{"repeat", map[string]string{"repeats": "-1"}, []Shape{{2}}, "negative"},
		{"repeat", map[string]string{"repeats": "2", "axis": "3"}, []Shape{{2, 3}}, "out of range"},
		{"squeeze", map[string]string{"axis": "1"}, []Shape{{2, 3}}, "size 1"},
		{"squeeze", map[string]string{"axis": "(0, -3)"}, []Shape{{1, 3, 1}}, "duplicate"},
		{"squeeze", map[string]string{"axis": "5"}, []Shape{{1, 3}}, "out of range"},
		{"_np_squeeze", map[string]string{"axis": "(0, 0)"}, []Shape{{}}, "0-d"},
		{"stack", map[string]string{"num_args": "0"}, nil, "num_args"},
		{"stack", map[string]string{"num_args": "2", "axis": "3"}, []Shape{{2, 3}, {2, 3}}, "out of range"},
		{"stack", map[string]string{"num_args": "2"}, []Shape{{2, 3}, {3, 2}}, "does not match"},
		{"reverse", map[string]string{}, nil, "axis"},
		{"reverse", map[string]string{"axis": "-1"}, []Shape{{2, 3}}, "out of range"},
		{"reverse", map[string]string{"axis": "(0,0,0,0,0,0,0,0,0,0)"}, []Shape{{2, 3}}, "fewer than"},
		{"slice_like", map[string]string{"axes": "(2,)"}, []Shape{{2, 3}, {2, 3}}, "out of range"},
		{"slice_like", map[string]string{}, []Shape{{2, 3}, {2, 4}}, "exceeds"},
		{"slice_like", map[string]string{}, []Shape{{2, 3}, {2}}, "equal rank"},
		{"broadcast_axis", map[string]string{"axis": "(0, 1)", "size": "(2,)"}, []Shape{{1, 1}}, "length"},
		{"broadcast_axis", map[string]string{"axis": "-1", "size": "3"}, []Shape{{2, 1}}, "out of range"},
		{"broadcast_axis", map[string]string{"axis": "0", "size": "3"}, []Shape{{2, 1}}, "size 1"},
		{"broadcast_axis", map[string]string{"axis": "1", "size": "-3"}, []Shape{{2, 1}}, "negative"},
		{"broadcast_to", map[string]string{"shape": "(2, 3)"}, []Shape{{2, 2}}, "cannot be broadcast"},
		{"broadcast_to", map[string]string{"shape": "(3,)"}, []Shape{{1, 3}}, "cannot be broadcast"},
		{"broadcast_to", map[string]string{"shape": "(-2, 3)"}, []Shape{{1, 3}}, "cannot be broadcast"},
		{"_npi_broadcast_to", map[string]string{"shape": "(3,)"}, []Shape{{1, 3}}, "not broadcastable"},
		{"_npi_broadcast_to", map[string]string{"shape": "(2, 3)"}, []Shape{{2}}, "not broadcastable"},
		{"_npi_broadcast_to", map[string]string{"shape": "(-2, 3)"}, []Shape{{3}}, "must be known"},
		{"broadcast_like", map[string]string{"lhs_axes": "()", "rhs_axes": "()"}, []Shape{{1}, {2}}, "empty"},
		{"broadcast_like", map[string]string{"lhs_axes": "(0,)", "rhs_axes": "(0, 1)"}, []Shape{{1}, {2, 2}}, "length"},
		{"broadcast_like", map[string]string{"lhs_axes": "(0,)", "rhs_axes": "(2,)"}, []Shape{{1}, {2, 2}}, "out of range"},
		{"broadcast_like", map[string]string{}, []Shape{{2, 3}, {4, 3}}, "cannot be broadcast"},
		{"SwapAxis", map[string]string{"dim1": "2"}, []Shape{{2, 3}}, "dim1 2 out of range"},
		{"SwapAxis", map[string]string{"dim2": "-3"}, []Shape{{2, 3}}, "dim2 -3 out of range"},
		{"SequenceMask", map[string]string{"axis": "2"}, []Shape{{2, 3, 4}}, "only 0 or 1"},
		{"SequenceMask", map[string]string{}, []Shape{{2}}, "rank 2"},
		{"SequenceMask", map[string]string{"use_sequence_length": "1"}, []Shape{{2, 3}, {2}}, "sequence_length"},
		{"take", map[string]string{"axis": "2"}, []Shape{{2, 3}, {4}}, "out of range"},
		{"take", map[string]string{"mode": "fill"}, nil, "mode"},
		{"pick", map[string]string{"axis": "None"}, []Shape{{2, 3}, {2}}, "axis=None"},
		{"pick", map[string]string{"mode": "raise"}, nil, "mode"},
		{"pick", map[string]string{"axis": "1"}, []Shape{{2, 3}, {3}}, "index shape"},
		{"gather_nd", nil, []Shape{{2, 3}, {2}}, "at least 2 dims"},
		{"gather_nd", nil, []Shape{{2, 3}, {3, 4}}, "exceed"},
		{"where", nil, []Shape{{2, 3}, {2, 3}, {2, 4}}, "differ"},
		{"where", nil, []Shape{{3}, {2, 3}, {2, 3}}, "one entry per row"},
		{"where", nil, []Shape{{2, 3, 1}, {2, 3}, {2, 3}}, "1-D"},
		{"_npi_where", nil, []Shape{{2, 3}, {3, 3}, {1}}, "broadcast"},
		{"_npi_where_lscalar", map[string]string{"scalar": "x"}, nil, "scalar"},
		{"_npi_where_scalar2", map[string]string{"z": "1"}, nil, "unknown parameter"},
	}
	for _, c := range cases {
		_, _, err := inferIndexOp(c.op, c.attrs, c.shapes, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v %v: error %v, want one containing %q", c.op, c.attrs, c.shapes, err, c.want)
		}
	}
}

// TestIndexOpMetadata checks output counts and the inferred dtypes of
// index outputs (including the hidden ones no golden compares).
func TestIndexOpMetadata(t *testing.T) {
	cases := []struct {
		op      string
		attrs   map[string]string
		shapes  []Shape
		types   []tensor.DType
		inputs  []string
		visible int
		out     []Shape
		dtypes  []tensor.DType
	}{
		{"topk", nil, []Shape{{2, 5}}, nil, []string{"data"}, 1, []Shape{{2, 1}}, []tensor.DType{tensor.Float32}},
		{"topk", map[string]string{"ret_typ": "value", "k": "2", "axis": "0"}, []Shape{{3, 5}}, nil, []string{"data"}, 1,
			[]Shape{{2, 5}, {2, 5}}, []tensor.DType{tensor.Float32, tensor.Int32}},
		{"topk", map[string]string{"ret_typ": "both", "dtype": "int64", "axis": "None", "k": "0"}, []Shape{{3, 5}}, nil,
			[]string{"data"}, 2, []Shape{{15}, {15}}, []tensor.DType{tensor.Float32, tensor.Int64}},
		{"topk", map[string]string{"ret_typ": "mask", "k": "3"}, []Shape{{3, 5}}, []tensor.DType{tensor.Float64},
			[]string{"data"}, 1, []Shape{{3, 5}}, []tensor.DType{tensor.Float64}},
		{"sort", nil, []Shape{{4}}, nil, []string{"data"}, 1, []Shape{{4}, {4}}, []tensor.DType{tensor.Float32, tensor.Int32}},
		{"argsort", map[string]string{"dtype": "uint8"}, []Shape{{4, 2}}, []tensor.DType{tensor.Int32}, []string{"data"}, 1,
			[]Shape{{4, 2}}, []tensor.DType{tensor.Uint8}},
		{"take", nil, []Shape{{5, 3}, {2, 2}}, []tensor.DType{tensor.Float32, tensor.Int64}, []string{"a", "indices"}, 1,
			[]Shape{{2, 2, 3}}, []tensor.DType{tensor.Float32}},
		{"pick", map[string]string{"keepdims": "1"}, []Shape{{5, 3}, {5}}, []tensor.DType{tensor.Float32, tensor.Int32},
			[]string{"data", "index"}, 1, []Shape{{5, 1}}, []tensor.DType{tensor.Float32}},
		{"gather_nd", nil, []Shape{{5, 3, 2}, {2, 4}}, []tensor.DType{tensor.Float32, tensor.Int32}, []string{"data", "indices"}, 1,
			[]Shape{{4, 2}}, []tensor.DType{tensor.Float32}},
		{"where", nil, []Shape{{2}, {2, 3}, {2, 3}}, []tensor.DType{tensor.Int64, tensor.Float32, tensor.Float32},
			[]string{"condition", "x", "y"}, 1, []Shape{{2, 3}}, []tensor.DType{tensor.Float32}},
		{"SequenceMask", map[string]string{"use_sequence_length": "True", "axis": "1"}, []Shape{{4, 7, 2}, nil},
			[]tensor.DType{tensor.Float32, tensor.Int32}, []string{"data", "sequence_length"}, 1, []Shape{{4, 7, 2}},
			[]tensor.DType{tensor.Float32}},
		{"stack", map[string]string{"num_args": "3", "axis": "-1"}, []Shape{{2}, nil, {2}}, nil,
			[]string{"arg0", "arg1", "arg2"}, 1, []Shape{{2, 3}}, []tensor.DType{tensor.Float32}},
		{"slice_like", map[string]string{"axes": "(-1,)"}, []Shape{{4, 7}, {1, 2}}, []tensor.DType{tensor.Float32, tensor.Int64},
			[]string{"data", "shape_like"}, 1, []Shape{{4, 2}}, []tensor.DType{tensor.Float32}},
		{"broadcast_like", nil, []Shape{{1, 3}, {4, 3}}, []tensor.DType{tensor.Float32, tensor.Uint8},
			[]string{"lhs", "rhs"}, 1, []Shape{{4, 3}}, []tensor.DType{tensor.Float32}},
		{"squeeze", nil, []Shape{{1, 1}}, nil, []string{"data"}, 1, []Shape{{1}}, []tensor.DType{tensor.Float32}},
		{"_np_squeeze", nil, []Shape{{1, 1}}, nil, []string{"data"}, 1, []Shape{{}}, []tensor.DType{tensor.Float32}},
		{"_np_squeeze", map[string]string{"axis": "-1"}, []Shape{{}}, nil, []string{"data"}, 1, []Shape{{}}, []tensor.DType{tensor.Float32}},
		{"repeat", map[string]string{"repeats": "0", "axis": "1"}, []Shape{{2, 3}}, nil, []string{"data"}, 1,
			[]Shape{{0}}, []tensor.DType{tensor.Float32}},
	}
	for _, c := range cases {
		op, params := parsed(t, c.op, c.attrs)
		if got := op.Inputs(params); !slices.Equal(got, c.inputs) {
			t.Errorf("%s %v: inputs %v, want %v", c.op, c.attrs, got, c.inputs)
		}
		if got := op.VisibleOutputs(params); got != c.visible {
			t.Errorf("%s %v: %d visible outputs, want %d", c.op, c.attrs, got, c.visible)
		}
		out, types, err := inferIndexOp(c.op, c.attrs, c.shapes, c.types)
		if err != nil {
			t.Errorf("%s %v: %v", c.op, c.attrs, err)
			continue
		}
		if !slices.EqualFunc(out, c.out, slices.Equal) {
			t.Errorf("%s %v: shapes %v, want %v", c.op, c.attrs, out, c.out)
		}
		if !slices.Equal(types, c.dtypes) {
			t.Errorf("%s %v: dtypes %v, want %v", c.op, c.attrs, types, c.dtypes)
		}
	}
}

// FuzzIndexOpAttrs feeds arbitrary attribute values and input shapes to
// the parsers and shape inference of the indexing and shape operators:
// they may reject them, but never panic.
func FuzzIndexOpAttrs(f *testing.F) {
	names := []string{"topk", "sort", "argsort", "tile", "repeat", "squeeze", "stack", "reverse", "slice_like",
		"broadcast_axis", "broadcast_to", "broadcast_like", "SwapAxis", "SequenceMask", "take", "pick", "gather_nd", "where"}
	f.Add(uint8(0), "k", "3", "axis", "-1", uint16(0x2305))
	f.Add(uint8(3), "reps", "(2, 0, -1)", "", "", uint16(0x1111))
	f.Add(uint8(9), "axis", "(0, 1)", "size", "(4294967296, 2)", uint16(0x0101))
	f.Add(uint8(16), "", "", "", "", uint16(0x0032))
	f.Fuzz(func(t *testing.T, which uint8, k1, v1, k2, v2 string, dims uint16) {
		name := names[int(which)%len(names)]
		attrs := map[string]string{}
		if k1 != "" {
			attrs[k1] = v1
		}
		if k2 != "" {
			attrs[k2] = v2
		}
		if name == "stack" {
			attrs["num_args"] = "2"
		}
		// Up to 3 inputs of rank 0-3 with dims 0-3 taken from the bits.
		var shapes []Shape
		for i := range 3 {
			b := int(dims>>(5*i)) & 31
			s := make(Shape, b%4)
			for j := range s {
				s[j] = (b >> (j + 1)) & 3
			}
			shapes = append(shapes, s)
		}
		_, _, _ = inferIndexOp(name, attrs, shapes, nil)
	})
}

// TestIndexKernelsDoNotAllocate: the forward kernels run without heap
// allocation once outputs and workspace exist (Predict's steady state).
func TestIndexKernelsDoNotAllocate(t *testing.T) {
	mk := func(dt tensor.DType, shape ...int) *tensor.Tensor {
		x, err := tensor.New(dt, shape...)
		if err != nil {
			t.Fatal(err)
		}
		for i := range x.Len() {
			x.SetFloat64At(i, float64((i*7)%5))
		}
		return x
	}
	f := tensor.Float32
	cases := []struct {
		op    string
		attrs map[string]string
		in    []*tensor.Tensor
	}{
		{"topk", map[string]string{"k": "3", "ret_typ": "both", "axis": "0"}, []*tensor.Tensor{mk(f, 40, 3)}},
		{"topk", map[string]string{"k": "2", "ret_typ": "mask"}, []*tensor.Tensor{mk(f, 3, 40)}},
		{"sort", nil, []*tensor.Tensor{mk(f, 3, 40)}},
		{"argsort", map[string]string{"dtype": "int64"}, []*tensor.Tensor{mk(f, 3, 40)}},
		{"tile", map[string]string{"reps": "(2, 1, 3)"}, []*tensor.Tensor{mk(f, 4, 5)}},
		{"repeat", map[string]string{"repeats": "2", "axis": "1"}, []*tensor.Tensor{mk(f, 4, 5)}},
		{"repeat", map[string]string{"repeats": "2"}, []*tensor.Tensor{mk(f, 4, 5)}},
		{"reverse", map[string]string{"axis": "(0, 1)"}, []*tensor.Tensor{mk(f, 4, 5)}},
		{"SwapAxis", map[string]string{"dim1": "0", "dim2": "2"}, []*tensor.Tensor{mk(f, 4, 5, 2)}},
		{"stack", map[string]string{"num_args": "2", "axis": "1"}, []*tensor.Tensor{mk(f, 4, 5), mk(f, 4, 5)}},
		{"slice_like", nil, []*tensor.Tensor{mk(f, 4, 5), mk(f, 2, 3)}},
		{"broadcast_to", map[string]string{"shape": "(4, 5)"}, []*tensor.Tensor{mk(f, 1, 5)}},
		{"broadcast_like", nil, []*tensor.Tensor{mk(f, 4, 1), mk(f, 4, 5)}},
		{"broadcast_axis", map[string]string{"axis": "0", "size": "3"}, []*tensor.Tensor{mk(f, 1, 5)}},
		{"where", nil, []*tensor.Tensor{mk(tensor.Int32, 4), mk(f, 4, 5), mk(f, 4, 5)}},
		{"take", map[string]string{"axis": "1", "mode": "wrap"}, []*tensor.Tensor{mk(f, 4, 5), mk(tensor.Int64, 3, 2)}},
		{"pick", nil, []*tensor.Tensor{mk(f, 4, 5), mk(f, 4)}},
		{"gather_nd", nil, []*tensor.Tensor{mk(f, 5, 5), mk(tensor.Int32, 2, 6)}},
		{"SequenceMask", map[string]string{"use_sequence_length": "1"}, []*tensor.Tensor{mk(f, 4, 5, 2), mk(f, 5)}},
		{"_npi_where", nil, []*tensor.Tensor{mk(tensor.Int64, 4, 1), mk(f, 5), mk(f, 3, 1, 1)}},
		{"_npi_where_lscalar", map[string]string{"scalar": "2"}, []*tensor.Tensor{mk(f, 4, 1), mk(f, 5)}},
		{"_npi_where_rscalar", map[string]string{"scalar": "2"}, []*tensor.Tensor{mk(f, 4, 1), mk(f, 5)}},
		{"_npi_where_scalar2", map[string]string{"x": "2"}, []*tensor.Tensor{mk(f, 4, 1)}},
	}
	for _, c := range cases {
		op, params := parsed(t, c.op, c.attrs)
		var shapes []Shape
		var types []tensor.DType
		for _, x := range c.in {
			shapes = append(shapes, x.Shape())
			types = append(types, x.DType())
		}
		outShapes, outTypes, err := inferIndexOp(c.op, c.attrs, shapes, types)
		if err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
		outs := make([]*tensor.Tensor, len(outShapes))
		for i := range outs {
			outs[i] = mk(outTypes[i], outShapes[i]...)
		}
		ctx := &Ctx{Threads: 1}
		if op.Workspace != nil {
			ctx.Scratch = make([]float32, op.Workspace(params, shapes))
		}
		if err := op.Forward(ctx, params, c.in, outs); err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
		if n := testing.AllocsPerRun(10, func() { _ = op.Forward(ctx, params, c.in, outs) }); n != 0 {
			t.Errorf("%s %v: %v allocations per run", c.op, c.attrs, n)
		}
	}
}
