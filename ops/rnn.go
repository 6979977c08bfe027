package ops

import (
	"errors"
	"fmt"
	"math"
	"math/bits"

	"github.com/mxgo/mxgo/tensor"
)

// RNNMode is RNN's mode: the recurrent cell.
type RNNMode int

// RNN cells, in MXNet's enum order.
const (
	RNNRelu RNNMode = iota
	RNNTanh
	RNNLSTM
	RNNGRU
)

// RNNParam is the fused RNN operator's parameters [src/operator/rnn-inl.h].
//
// MXNet 1.9.1 runs projection_size, lstm_state_clip_* and
// use_sequence_length only through cuDNN (its CPU kernel rejects them);
// mxgo runs them on the CPU with cuDNN's semantics: the projected state
// Wr·(o·tanh c) is the recurrent state and the output; the cell is
// clipped to [min, max] before the hidden state is computed (a NaN cell
// becomes min with lstm_state_clip_nan, as fmin(fmax(c, min), max) gives);
// sample j runs only its first sequence_length[j] steps, later outputs are
// 0 and the state outputs hold its last step's state.
type RNNParam struct {
	StateSize         int               `mx:"state_size" required:"" min:"1"`
	NumLayers         int               `mx:"num_layers" required:"" min:"1"`
	Bidirectional     bool              `mx:"bidirectional"`
	Mode              RNNMode           `mx:"mode" required:"" enum:"rnn_relu,rnn_tanh,lstm,gru"`
	P                 float32           `mx:"p" default:"0" min:"0" max:"1"`
	StateOutputs      bool              `mx:"state_outputs"`
	ProjectionSize    Optional[int]     `mx:"projection_size"`
	LSTMStateClipMin  Optional[float64] `mx:"lstm_state_clip_min"`
	LSTMStateClipMax  Optional[float64] `mx:"lstm_state_clip_max"`
	LSTMStateClipNaN  bool              `mx:"lstm_state_clip_nan"`
	UseSequenceLength bool              `mx:"use_sequence_length"`
}

var rnnParams = NewParams[RNNParam]()

func init() {
	Register(&Op{
		Name:    "RNN",
		Aliases: []string{"_npx_rnn"},
		Params:  rnnParams,
		Parse:   parseRNN,
		InputNames: func(params any) []string {
			p := params.(*RNNParam)
			names := []string{"data", "parameters", "state"}
			if p.Mode == RNNLSTM {
				names = append(names, "state_cell")
			}
			if p.UseSequenceLength {
				names = append(names, "sequence_length")
			}
			return names
		},
		NumOutputs: func(params any) int {
			p := params.(*RNNParam)
			switch {
			case !p.StateOutputs:
				return 1
			case p.Mode == RNNLSTM:
				return 3
			}
			return 2
		},
		OutputNames: outputNames("output", "state_output", "statecell_output"),
		InferShape:  rnnShape,
		InferType:   rnnType,
		Workspace:   rnnWorkspace,
		Supports:    rnnSupports,
		Forward:     rnnForward,
	})
	// Gluon's RNN layers concatenate their flattened weights and biases
	// into RNN's parameters input with this Concat variant.
	Register(&Op{
		Name:          "_rnn_param_concat",
		Aliases:       []string{"_npi_rnn_param_concat"},
		Params:        NewParams[ConcatParam](),
		KeyVarNumArgs: "num_args",
		InputNames: func(params any) []string {
			return argNames(params.(*ConcatParam).NumArgs)
		},
		OutputNames: outputNames("output"),
		InferShape:  rnnParamConcatShape,
		InferType:   SameType,
		Forward:     concatForward,
	})
}

// rnnParamConcatShape is RNNParamConcatShape: Concat's shape rule, except
// that when the output's size along dim is known, one or two inputs of
// unknown size along dim share the remainder (Gluon's i2h weights before
// the input size is known).
func rnnParamConcatShape(params any, in, out []Shape) error {
	p := params.(*ConcatParam)
	var d Shape
	axis, size := -1, 0
	var unknown []int
	merge := func(s Shape, what string) error {
		a, err := normAxis(p.Dim, len(s), "dim")
		if err != nil {
			return err
		}
		axis = a
		t := cloneShape(s)
		t[a] = -1
		m, ok := MergeShape(d, t)
		if !ok {
			return fmt.Errorf("%s shape %s does not match %s outside dim %d", what, ShapeString(s), ShapeString(d), a)
		}
		d = m
		return nil
	}
	for i, s := range in {
		if len(s) == 0 {
			continue
		}
		if err := merge(s, fmt.Sprintf("input %d", i)); err != nil {
			return err
		}
		if s[axis] < 0 {
			unknown = append(unknown, i)
		} else {
			size += s[axis]
		}
	}
	if len(out[0]) > 0 {
		if err := merge(out[0], "output"); err != nil {
			return err
		}
	}
	if d == nil {
		return nil
	}
	for i := range in {
		if err := assignShape(&in[i], d, fmt.Sprintf("input %d", i)); err != nil {
			return err
		}
	}
	if len(unknown) == 0 {
		d[axis] = size
	}
	if err := assignShape(&out[0], d, "output"); err != nil {
		return err
	}
	if o := out[0][axis]; o >= 0 && len(unknown) > 0 {
		rest := o - size
		if rest < 0 {
			return fmt.Errorf("inputs already exceed the output size %d along dim %d", o, axis)
		}
		if len(unknown) > 2 {
			return fmt.Errorf("expecting 1 or 2 inputs that need shape inference, got %d", len(unknown))
		}
		for _, i := range unknown {
			in[i][axis] = rest / len(unknown)
		}
	}
	return nil
}

// rnnMaxSize bounds state_size, projection_size and num_layers so that
// the parameter count and workspace arithmetic cannot overflow.
const rnnMaxSize = 1 << 20

// parseRNN parses RNNParam and applies the checks MXNet makes when it
// creates the operator: p in [0, 1); projection only for LSTM and at most
// state_size; state clipping only for LSTM with both bounds, max >= min.
func parseRNN(attrs map[string]string) (any, error) {
	p, err := rnnParams.Parse(attrs)
	if err != nil {
		return nil, err
	}
	if p.P >= 1 {
		return nil, fmt.Errorf("p %g: unsupported dropout value, should be 0 <= p < 1", p.P)
	}
	if p.StateSize > rnnMaxSize || p.NumLayers > rnnMaxSize {
		return nil, fmt.Errorf("state_size %d or num_layers %d exceeds %d", p.StateSize, p.NumLayers, rnnMaxSize)
	}
	if p.ProjectionSize.Set {
		ps := p.ProjectionSize.Value
		if p.Mode != RNNLSTM {
			return nil, errors.New("projection_size: projection is only supported for LSTM")
		}
		if ps < 1 || ps > p.StateSize {
			return nil, fmt.Errorf("projection_size %d must be in [1, state_size %d]", ps, p.StateSize)
		}
	}
	lo, hi := p.LSTMStateClipMin, p.LSTMStateClipMax
	if lo.Set || hi.Set {
		if p.Mode != RNNLSTM {
			return nil, errors.New("lstm_state_clip_min/max: state clipping is only supported for LSTM")
		}
		if !lo.Set || !hi.Set {
			return nil, errors.New("lstm_state_clip_min and lstm_state_clip_max must be specified together")
		}
		if math.IsNaN(lo.Value) || math.IsNaN(hi.Value) || hi.Value < lo.Value {
			return nil, fmt.Errorf("lstm_state_clip_max %g must be greater or equal to lstm_state_clip_min %g", hi.Value, lo.Value)
		}
	}
	return p, nil
}

// rnnDims are the sizes the RNN kernel and inference share.
type rnnDims struct {
	t, n, i int // sequence length, batch, input size
	h       int // state_size
	r       int // recurrent and output width: projection_size or state_size
	g       int // gates: 1, 3 (GRU) or 4 (LSTM)
	d       int // directions
	l       int // layers
	proj    bool
}

func newRNNDims(p *RNNParam, t, n, i int) rnnDims {
	g := 1
	switch p.Mode {
	case RNNLSTM:
		g = 4
	case RNNGRU:
		g = 3
	}
	d := 1
	if p.Bidirectional {
		d = 2
	}
	r := p.ProjectionSize.Get(p.StateSize)
	return rnnDims{t: t, n: n, i: i, h: p.StateSize, r: r, g: g, d: d, l: p.NumLayers, proj: p.ProjectionSize.Set}
}

// checkedMul multiplies non-negative ints, reporting overflow.
func checkedMul(xs ...int) (int, bool) {
	p := 1
	for _, x := range xs {
		hi, lo := bits.Mul64(uint64(p), uint64(x))
		if x < 0 || hi != 0 || lo > math.MaxInt {
			return 0, false
		}
		p = int(lo)
	}
	return p, true
}

// layerIn is the input width of layer l.
func (m *rnnDims) layerIn(l int) int {
	if l == 0 {
		return m.i
	}
	return m.d * m.r
}

// weightLen is the weight count of one direction of layer l: i2h (G·H,
// I_l), h2h (G·H, R) and with projection h2r (R, H).
func (m *rnnDims) weightLen(l int) int {
	n := m.g * m.h * (m.layerIn(l) + m.r)
	if m.proj {
		n += m.r * m.h
	}
	return n
}

// paramSize is GetRnnParamSize: every layer's and direction's weights, then
// two G·H biases per layer and direction. ok is false on overflow.
func (m *rnnDims) paramSize() (int, bool) {
	// The largest term is bounded by rnnMaxSize^3 · (i + 4): check it.
	if _, ok := checkedMul(m.l, m.d, m.g, m.h, m.i+m.d*m.r+m.r+2); !ok {
		return 0, false
	}
	total := 0
	for l := range m.l {
		total += m.d * (m.weightLen(l) + 2*m.g*m.h)
	}
	return total, true
}

// rnnShape is RNNShape: data (T, N, I); state (L·D, N, R); state_cell
// (L·D, N, H); parameters (GetRnnParamSize); sequence_length (N); output
// (T, N, D·R), state outputs like the states.
func rnnShape(params any, in, out []Shape) error {
	p := params.(*RNNParam)
	ds := in[0]
	if ds == nil {
		return nil
	}
	if len(ds) != 3 {
		return fmt.Errorf("data %s should be rank-3 tensor of dim [sequence length, batch size, input size]", ShapeString(ds))
	}
	t, n, i := ds[0], ds[1], ds[2]
	m := newRNNDims(p, t, n, i)
	ld := m.l * m.d
	if err := assignShape(&in[2], Shape{ld, n, m.r}, "state"); err != nil {
		return err
	}
	k := 3
	if p.Mode == RNNLSTM {
		if err := assignShape(&in[3], Shape{ld, n, m.h}, "state_cell"); err != nil {
			return err
		}
		k = 4
	}
	if i >= 0 {
		size, ok := m.paramSize()
		if !ok {
			return fmt.Errorf("parameter count of input size %d, state_size %d, %d layers overflows", i, m.h, m.l)
		}
		if err := assignShape(&in[1], Shape{size}, "parameters"); err != nil {
			return err
		}
	}
	if p.UseSequenceLength {
		if err := assignShape(&in[k], Shape{n}, "sequence_length"); err != nil {
			return err
		}
	}
	if err := assignShape(&out[0], Shape{t, n, m.d * m.r}, "output"); err != nil {
		return err
	}
	if len(out) > 1 {
		if err := assignShape(&out[1], Shape{ld, n, m.r}, "state_output"); err != nil {
			return err
		}
	}
	if len(out) > 2 {
		return assignShape(&out[2], Shape{ld, n, m.h}, "statecell_output")
	}
	return nil
}

// rnnType is RNNType: every input but sequence_length has data's dtype
// (which must be known); sequence_length keeps its own (any real or integer
// type); the outputs have data's dtype.
// rnnSupports is RNN's Op.Supports: the kernel computes float32 data,
// parameters and states; sequence_length may be any dtype.
func rnnSupports(params any, in []tensor.DType) error {
	n := len(in)
	if params.(*RNNParam).UseSequenceLength {
		n--
	}
	return float32Kernel(nil, in[:max(n, 0)])
}

func rnnType(params any, in, out []tensor.DType) error {
	p := params.(*RNNParam)
	dt := in[0]
	if dt == UnknownType {
		return nil
	}
	names := []string{"data", "parameters", "state", "state_cell", "sequence_length"}
	seq := -1
	if p.UseSequenceLength {
		seq = len(in) - 1
	}
	for i := range in {
		if i == seq {
			continue
		}
		name := names[i]
		if p.Mode != RNNLSTM && i == 3 {
			name = names[4]
		}
		if err := assignType(&in[i], dt, name); err != nil {
			return err
		}
	}
	for i := range out {
		if err := assignType(&out[i], dt, "output"); err != nil {
			return err
		}
	}
	return nil
}
