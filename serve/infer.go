package serve

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/mxgo/mxgo/tensor"
)

// checkInput validates an input's name, datatype and shape against the
// model and returns its position, its shape and its element count. field
// names the input in errors ("inputs[0]").
func (l *loaded) checkInput(field, name, datatype string, shape []int64) (int, []int, int, error) {
	idx := slices.IndexFunc(l.inputs, func(m tensorMeta) bool { return m.name == name })
	if idx < 0 {
		return 0, nil, 0, errorf(kindInvalid, "%s.name: model %s has no input %q (inputs: %v)", field, l.name, name, l.inputNames())
	}
	want := l.inputs[idx]
	if dt, ok := datatypes[datatype]; !ok || dt != want.dtype {
		return 0, nil, 0, errorf(kindInvalid, "%s.datatype: input %s needs %s, got %q", field, name, mustDatatype(want.dtype), datatype)
	}
	dims := make([]int, len(shape))
	ok := len(shape) == len(want.shape)
	for i, d := range shape {
		if d < 0 || d > 1<<40 {
			ok = false
			break
		}
		dims[i] = int(d)
		if ok && want.shape[i] >= 0 && want.shape[i] != dims[i] {
			ok = false
		}
	}
	if !ok || len(dims) == 0 || dims[0] < 1 {
		return 0, nil, 0, errorf(kindInvalid, "%s.shape: %v does not match input %s's shape %v (-1: any batch size >= 1)", field, shape, name, want.shape)
	}
	n, err := tensor.NumElements(dims, 1)
	if err != nil {
		return 0, nil, 0, errorf(kindInvalid, "%s.shape: %v", field, err)
	}
	return idx, dims, n, nil
}

func (l *loaded) inputNames() []string {
	names := make([]string, len(l.inputs))
	for i, in := range l.inputs {
		names[i] = in.name
	}
	return names
}

// decoded is one input tensor read from a request.
type decoded struct {
	field string
	idx   int
	t     *tensor.Tensor
}

// assemble orders the inputs as the model takes them and checks that each
// is given once, that they agree on the batch size and that their values
// are finite (unless allowed).
func (l *loaded) assemble(in []decoded) ([]*tensor.Tensor, int, error) {
	ts := make([]*tensor.Tensor, len(l.inputs))
	rows := -1
	for _, d := range in {
		if ts[d.idx] != nil {
			return nil, 0, errorf(kindInvalid, "%s.name: input %s given twice", d.field, l.inputs[d.idx].name)
		}
		ts[d.idx] = d.t
		if rows >= 0 && d.t.Dim(0) != rows {
			return nil, 0, errorf(kindInvalid, "%s.shape: batch size %d differs from the other inputs' %d", d.field, d.t.Dim(0), rows)
		}
		rows = d.t.Dim(0)
		if !l.m.s.opts.AllowNonFinite {
			if err := checkFinite(d.t); err != nil {
				return nil, 0, errorf(kindInvalid, "%s.data: %v (non-finite inputs are refused)", d.field, err)
			}
		}
	}
	for i, t := range ts {
		if t == nil {
			return nil, 0, errorf(kindInvalid, "inputs: input %s is missing", l.inputs[i].name)
		}
	}
	return ts, rows, nil
}

// selectOutputs returns the variant that computes the requested outputs
// (none: the model's outputs) and which of its outputs to return.
func (l *loaded) selectOutputs(names []string) (*variant, []int, error) {
	heads := l.variants0()
	if len(names) == 0 {
		pick := make([]int, len(heads.outputs))
		for i := range pick {
			pick[i] = i
		}
		return heads, pick, nil
	}
	pick := make([]int, 0, len(names))
	inHeads := true
	for i, n := range names {
		if slices.Index(names[:i], n) >= 0 {
			return nil, nil, errorf(kindInvalid, "outputs[%d].name: output %s requested twice", i, n)
		}
		if op, ok := l.internals[n]; !ok {
			return nil, nil, errorf(kindInvalid, "outputs[%d].name: model %s has no output %q", i, l.name, n)
		} else if !op {
			return nil, nil, errorf(kindInvalid, "outputs[%d].name: %s is not an output of an operator (an input, weight or label)", i, n)
		}
		j := slices.IndexFunc(heads.outputs, func(m tensorMeta) bool { return m.name == n })
		inHeads = inHeads && j >= 0
		pick = append(pick, j)
	}
	if inHeads {
		return heads, pick, nil
	}
	v, err := l.variantFor(names)
	if err != nil {
		return nil, nil, err
	}
	for i := range pick {
		pick[i] = i
	}
	return v, pick, nil
}

// variants0 is the heads variant.
func (l *loaded) variants0() *variant {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.variants[""]
}

// infer submits the inputs and returns the picked outputs and the model
// version (epoch) that computed them.
func (v *variant) infer(ctx context.Context, ins []*tensor.Tensor, rows int, pick []int) ([]outTensor, string, error) {
	outs, epoch, err := v.submit(ctx, ins, rows)
	if err != nil {
		return nil, "", err
	}
	res := make([]outTensor, len(pick))
	for i, p := range pick {
		res[i] = outs[p]
	}
	return res, strconv.FormatInt(epoch, 10), nil
}

// observe records a finished inference request in the metrics and logs.
func (s *Server) observe(model, protocol string, start time.Time, err error) {
	if _, ok := s.models[model]; !ok {
		model = "" // unknown names must not grow the label set
	}
	outcome := "ok"
	if err != nil {
		k := kindOf(err)
		outcome = k.outcome()
		if k == kindInternal {
			s.log.Error("inference failed", "model", model, "protocol", protocol, "err", err)
		} else {
			s.log.Debug("inference refused", "model", model, "protocol", protocol, "outcome", outcome, "err", err)
		}
	}
	s.metrics.requests.WithLabelValues(model, protocol, outcome).Inc()
	s.metrics.latency.WithLabelValues(model, protocol).Observe(time.Since(start).Seconds())
}

// errNotFloat formats a parameter type error.
func paramError(field string, v any, want string) error {
	return errorf(kindInvalid, "%s: %v is not %s", field, v, want)
}

var _ = fmt.Sprint
