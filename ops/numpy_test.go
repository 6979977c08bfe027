package ops

import (
	"slices"
	"strings"
	"testing"
)

func init() {
	for k, v := range map[string][]string{
		"_np_reshape": nil, "_npx_reshape": {"_npi_reshape"}, "_np_transpose": nil, "_npi_concatenate": nil,
		"_np_copy": nil, "_np_sum": nil, "_npi_mean": nil, "_np_max": {"_np_amax"}, "_np_min": {"_np_amin"},
		"_npi_add": nil, "_npi_subtract": nil, "_npi_multiply": nil, "_npi_true_divide": nil, "_npi_power": nil,
		"_npi_add_scalar": nil, "_npi_subtract_scalar": nil, "_npi_rsubtract_scalar": nil, "_npi_multiply_scalar": nil,
		"_npi_true_divide_scalar": nil, "_npi_rtrue_divide_scalar": nil, "_npi_power_scalar": nil,
		"_npi_rpower_scalar": nil,
	} {
		wantOps[k] = v
	}
}

func TestNumpyOpsMetadata(t *testing.T) {
	op, p := parsed(t, "_npi_concatenate", map[string]string{"num_args": "3"})
	if got := op.Inputs(p); !slices.Equal(got, []string{"data0", "data1", "data2"}) {
		t.Errorf("_npi_concatenate inputs %v", got)
	}
	if got := op.OutputName(p, 0, 1); got != "out" {
		t.Errorf("_npi_concatenate output name %q", got)
	}
	for _, name := range []string{"_np_reshape", "_npx_reshape", "_np_sum", "_np_transpose"} {
		op, _ := Lookup(name)
		if got := op.Inputs(nil); !slices.Equal(got, []string{"a"}) {
			t.Errorf("%s inputs %v, want [a]", name, got)
		}
	}
}

// TestNumpyOpsRejectWhatMXNetRejects: attribute values MXNet 1.9.1's
// checks refuse fail at parse or shape inference, never later.
func TestNumpyOpsRejectWhatMXNetRejects(t *testing.T) {
	for _, c := range []struct {
		op    string
		attrs map[string]string
		in    Shape
		want  string
	}{
		{"_np_reshape", map[string]string{"newshape": "(-2, 3)"}, Shape{2, 3}, "must be -1"},
		{"_np_reshape", map[string]string{"newshape": "(-1, -1)"}, Shape{2, 3}, "only one"},
		{"_np_reshape", map[string]string{"newshape": "(4, 2)"}, Shape{2, 3}, "cannot reshape"},
		{"_np_reshape", map[string]string{"newshape": "(2, 3)", "order": "F"}, Shape{2, 3}, "order"},
		{"_np_reshape", map[string]string{"newshape": "(4611686018427387904, 4)"}, Shape{2, 3}, "overflow"},
		{"_npx_reshape", map[string]string{"newshape": "(-7,)"}, Shape{6}, ">= -6"},
		{"_npx_reshape", map[string]string{"newshape": "(-3, 6)"}, Shape{2, 3}, "size 1"},
		{"_npx_reshape", map[string]string{"newshape": "(-6, -1, -1)"}, Shape{6}, "only one"},
		{"_npx_reshape", map[string]string{"newshape": "(-6, 3)"}, Shape{6}, "followed by two"},
		{"_npx_reshape", map[string]string{"newshape": "(-6, 4, -1)"}, Shape{6}, "divide"},
		{"_npx_reshape", map[string]string{"newshape": "(-5,)"}, Shape{6}, "not enough"},
		{"_npx_reshape", map[string]string{"newshape": "(-2, -2, -2)"}, Shape{6}, "consumes"},
		{"_np_sum", map[string]string{"initial": "1"}, Shape{2}, "initial"},
		{"_np_sum", map[string]string{"dtype": "int32"}, Shape{2}, "float32"},
		{"_np_max", map[string]string{"dtype": "float32"}, Shape{2}, "dtype"},
		{"_np_sum", map[string]string{"axis": "(0, 0)"}, Shape{2, 3}, "duplicates"},
		{"_np_sum", map[string]string{"axis": "2"}, Shape{2, 3}, "out of range"},
		{"_np_transpose", map[string]string{"axes": "(0, 0)"}, Shape{2, 3}, ""},
		{"_npi_concatenate", map[string]string{"num_args": "0"}, nil, "num_args"},
	} {
		op, _ := Lookup(c.op)
		p, err := op.Parse(c.attrs)
		if err == nil {
			out := make([]Shape, op.Outputs(p))
			in := []Shape{c.in}
			if c.in == nil {
				in = make([]Shape, len(op.Inputs(p)))
			}
			err = op.InferShape(p, in, out)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v on %v: error %v, want one containing %q", c.op, c.attrs, c.in, err, c.want)
		}
	}
}
