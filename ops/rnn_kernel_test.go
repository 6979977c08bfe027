package ops_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// rnnInputs builds random RNN inputs for attrs: data (t, n, i), the
// parameter vector of the length shape inference asks for, and the states.
func rnnInputs(t testing.TB, attrs map[string]string, tl, n, i int) []*tensor.Tensor {
	t.Helper()
	op, _ := ops.Lookup("RNN")
	params, err := op.Parse(attrs)
	if err != nil {
		t.Fatal(err)
	}
	names := op.Inputs(params)
	in := make([]ops.Shape, len(names))
	in[0] = ops.Shape{tl, n, i}
	out := make([]ops.Shape, op.Outputs(params))
	if err := op.InferShape(params, in, out); err != nil {
		t.Fatal(err)
	}
	xs := make([]*tensor.Tensor, len(names))
	for k, s := range in {
		scale := float32(1)
		if k == 1 {
			scale = 0.3
		}
		xs[k] = kaRand(uint64(40+k), scale, s...)
	}
	if names[len(names)-1] == "sequence_length" {
		seq := xs[len(xs)-1].Float32s()
		for j := range seq {
			seq[j] = float32(tl - j%tl)
		}
	}
	return xs
}

// TestRNNBadAttributes: attribute values outside MXNet's domain fail at
// parse with a message naming the attribute.
func TestRNNBadAttributes(t *testing.T) {
	op, _ := ops.Lookup("RNN")
	base := map[string]string{"mode": "lstm", "state_size": "4", "num_layers": "1"}
	for _, c := range []struct {
		set  map[string]string
		want string
	}{
		{map[string]string{"mode": "lstmp"}, "mode"},
		{map[string]string{"state_size": "0"}, "state_size"},
		{map[string]string{"state_size": "-3"}, "state_size"},
		{map[string]string{"num_layers": "0"}, "num_layers"},
		{map[string]string{"num_layers": "4000000"}, "num_layers"},
		{map[string]string{"p": "1"}, "p"},
		{map[string]string{"p": "-0.1"}, "p"},
		{map[string]string{"projection_size": "2", "mode": "gru"}, "projection_size"},
		{map[string]string{"projection_size": "5"}, "projection_size"},
		{map[string]string{"projection_size": "0"}, "projection_size"},
		{map[string]string{"lstm_state_clip_min": "-1"}, "lstm_state_clip"},
		{map[string]string{"lstm_state_clip_min": "1", "lstm_state_clip_max": "0.5"}, "lstm_state_clip_max"},
		{map[string]string{"lstm_state_clip_min": "-1", "lstm_state_clip_max": "1", "mode": "rnn_tanh"}, "lstm_state_clip"},
		{map[string]string{"bidirectional": "maybe"}, "bidirectional"},
		{map[string]string{"stat_size": "4"}, "stat_size"},
	} {
		attrs := maps(base, c.set)
		_, err := op.Parse(attrs)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want mention of %s", c.set, err, c.want)
		}
	}
	if _, err := op.Parse(maps(base, map[string]string{"lstm_state_clip_min": "-1", "lstm_state_clip_max": "1",
		"projection_size": "4", "p": "0.5", "lstm_state_clip_nan": "True"})); err != nil {
		t.Errorf("valid attributes: %v", err)
	}
}

func maps(a, b map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}

// TestRNNParameterCount: shape inference gives MXNet's GetRnnParamSize and
// rejects a parameters input of another length, naming it.
func TestRNNParameterCount(t *testing.T) {
	op, _ := ops.Lookup("RNN")
	for _, c := range []struct {
		attrs   map[string]string
		i, want int
	}{
		// (I + H + 2) * G*H * D + (L-1) * (D*H + H + 2) * G*H * D
		{map[string]string{"mode": "lstm", "state_size": "200", "num_layers": "2"}, 200, 643200},
		{map[string]string{"mode": "gru", "state_size": "128", "num_layers": "1", "bidirectional": "True"}, 512, 2 * (512 + 128 + 2) * 384},
		{map[string]string{"mode": "rnn_relu", "state_size": "3", "num_layers": "3"}, 5, (5+3+2)*3 + 2*(3+3+2)*3},
		// projection: (I + P + 2)*4H*D + (L-1)*(P*D + P + 2)*4H*D + P*H*L*D
		{map[string]string{"mode": "lstm", "state_size": "6", "num_layers": "2", "bidirectional": "True", "projection_size": "4"},
			5, (5+4+2)*24*2 + (8+4+2)*24*2 + 4*6*2*2},
	} {
		params, err := op.Parse(c.attrs)
		if err != nil {
			t.Fatal(err)
		}
		in := make([]ops.Shape, len(op.Inputs(params)))
		in[0] = ops.Shape{3, 2, c.i}
		out := make([]ops.Shape, op.Outputs(params))
		if err := op.InferShape(params, in, out); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(in[1], ops.Shape{c.want}) {
			t.Errorf("%v: parameters %v, want (%d)", c.attrs, in[1], c.want)
		}
		in = make([]ops.Shape, len(op.Inputs(params)))
		in[0], in[1] = ops.Shape{3, 2, c.i}, ops.Shape{c.want + 1}
		err = op.InferShape(params, in, make([]ops.Shape, op.Outputs(params)))
		if err == nil || !strings.Contains(err.Error(), "parameters") {
			t.Errorf("%v: wrong length: err = %v, want a parameters shape error", c.attrs, err)
		}
	}
	// Sizes whose parameter count overflows are an error, not a panic.
	params, _ := op.Parse(map[string]string{"mode": "lstm", "state_size": "1000000", "num_layers": "1000000"})
	in := []ops.Shape{{1, 1, 1 << 40}, nil, nil, nil}
	if err := op.InferShape(params, in, make([]ops.Shape, 1)); err == nil {
		t.Error("overflowing parameter count accepted")
	}
}

// TestRNNForwardChecks: sequence lengths outside [1, T] or not integral
// fail at run time with an error.
func TestRNNForwardChecks(t *testing.T) {
	attrs := map[string]string{"mode": "gru", "state_size": "3", "num_layers": "1", "use_sequence_length": "True"}
	for _, bad := range []float32{0, 5, 2.5, -1, kaNaN} {
		in := rnnInputs(t, attrs, 4, 2, 3)
		in[3].Float32s()[1] = bad
		if _, err := kaRunErr("RNN", attrs, in...); err == nil || !strings.Contains(err.Error(), "sequence_length") {
			t.Errorf("length %g: err = %v", bad, err)
		}
	}
}

// TestRNNClipNaN: with lstm_state_clip_nan a NaN cell state becomes
// lstm_state_clip_min; without it NaN propagates.
func TestRNNClipNaN(t *testing.T) {
	for _, nan := range []bool{false, true} {
		attrs := map[string]string{"mode": "lstm", "state_size": "2", "num_layers": "1", "state_outputs": "True",
			"lstm_state_clip_min": "-0.25", "lstm_state_clip_max": "0.5", "lstm_state_clip_nan": fmt.Sprint(nan)}
		in := rnnInputs(t, attrs, 1, 1, 2)
		in[0].Float32s()[0] = kaNaN
		out := kaRun(t, "RNN", attrs, in...)
		for _, v := range out[2].Float32s() {
			if nan && v != -0.25 || !nan && !math.IsNaN(float64(v)) {
				t.Errorf("clip_nan=%v: cell %g", nan, v)
			}
		}
	}
}

// TestRNNNoAllocs: the forward kernel allocates nothing, for every cell
// and feature.
func TestRNNNoAllocs(t *testing.T) {
	for _, attrs := range []map[string]string{
		{"mode": "lstm", "state_size": "5", "num_layers": "2", "bidirectional": "True", "state_outputs": "True"},
		{"mode": "gru", "state_size": "4", "num_layers": "1", "use_sequence_length": "True"},
		{"mode": "rnn_tanh", "state_size": "3", "num_layers": "3"},
		{"mode": "lstm", "state_size": "6", "num_layers": "2", "projection_size": "3", "state_outputs": "True",
			"lstm_state_clip_min": "-1", "lstm_state_clip_max": "1"},
	} {
		kaNoAllocs(t, "RNN", attrs, rnnInputs(t, attrs, 4, 3, 5)...)
	}
}

// TestRNNThreadsAgree: a sample's result does not depend on the thread
// count.
func TestRNNThreadsAgree(t *testing.T) {
	attrs := map[string]string{"mode": "lstm", "state_size": "37", "num_layers": "2", "bidirectional": "True", "state_outputs": "True"}
	in := rnnInputs(t, attrs, 5, 9, 23)
	asm.ForEachImpl(func(impl string) {
		one, err := kaRunThreads("RNN", attrs, in, 1)
		if err != nil {
			t.Fatal(err)
		}
		three, err := kaRunThreads("RNN", attrs, in, 3)
		if err != nil {
			t.Fatal(err)
		}
		for k := range one {
			if !slices.Equal(one[k].Float32s(), three[k].Float32s()) {
				t.Errorf("impl=%s output %d differs between 1 and 3 threads", impl, k)
			}
		}
	})
}

// BenchmarkRNNLSTM times a fused LSTM at the sizes of the PTB language
// model (input and state 200, 35 steps), batch 1 and 32, one and two
// layers, one and two threads; samples/s counts sequences.
func BenchmarkRNNLSTM(b *testing.B) {
	op, _ := ops.Lookup("RNN")
	const tl, h = 35, 200
	for _, layers := range []int{1, 2} {
		for _, n := range []int{1, 32} {
			for _, threads := range []int{1, 2} {
				attrs := map[string]string{"mode": "lstm", "state_size": fmt.Sprint(h), "num_layers": fmt.Sprint(layers)}
				params, err := op.Parse(attrs)
				if err != nil {
					b.Fatal(err)
				}
				in := rnnInputs(b, attrs, tl, n, h)
				out, err := kaRunThreads("RNN", attrs, in, 1)
				if err != nil {
					b.Fatal(err)
				}
				shapes := make([]ops.Shape, len(in))
				for k, x := range in {
					shapes[k] = x.Shape()
				}
				ctx := &ops.Ctx{Threads: threads, Scratch: make([]float32, threads*op.Workspace(params, shapes))}
				flops := 2.0 * float64(layers*tl*n*4*h*(h+h))
				asm.ForEachImpl(func(impl string) {
					b.Run(fmt.Sprintf("layers=%d/T=%d/N=%d/H=%d/threads=%d/impl=%s", layers, tl, n, h, threads, impl), func(b *testing.B) {
						b.ReportAllocs()
						for b.Loop() {
							if err := op.Forward(ctx, params, in, out); err != nil {
								b.Fatal(err)
							}
						}
						s := b.Elapsed().Seconds()
						b.ReportMetric(float64(n*b.N)/s, "samples/s")
						b.ReportMetric(flops*float64(b.N)/s/1e9, "GFLOP/s")
					})
				})
			}
		}
	}
}

// TestRNNBatchIndependent: a sample's outputs do not depend on the batch it
// is in (batch 1 against the same sequence inside a batch of 11), up to
// float32 rounding: asm.Sgemm takes M-dependent paths whose summation
// orders differ in the last bits (FullyConnected shows the same), so the
// comparison allows 1e-6 relative plus 1e-6 absolute (values are O(1);
// the recurrence carries the rounding).
func TestRNNBatchIndependent(t *testing.T) {
	for _, mode := range []string{"lstm", "gru", "rnn_tanh"} {
		attrs := map[string]string{"mode": mode, "state_size": "19", "num_layers": "2", "bidirectional": "True", "state_outputs": "True"}
		const tl, n, i, j = 4, 11, 7, 6
		big := rnnInputs(t, attrs, tl, n, i)
		small := rnnInputs(t, attrs, tl, 1, i)
		copy(small[1].Float32s(), big[1].Float32s())
		// data (T, N, I) and states (L·D, N, ·): take sample j.
		for _, k := range []int{0, 2, 3} {
			if k >= len(big) {
				continue
			}
			rows, w := big[k].Dim(0), big[k].Dim(2)
			for r := range rows {
				copy(small[k].Float32s()[r*w:(r+1)*w], big[k].Float32s()[(r*n+j)*w:(r*n+j+1)*w])
			}
		}
		asm.ForEachImpl(func(impl string) {
			ob := kaRun(t, "RNN", attrs, big...)
			os := kaRun(t, "RNN", attrs, small...)
			for k := range ob {
				rows, w := ob[k].Dim(0), ob[k].Dim(2)
				for r := range rows {
					got := os[k].Float32s()[r*w : (r+1)*w]
					want := ob[k].Float32s()[(r*n+j)*w : (r*n+j+1)*w]
					for c := range got {
						if d := math.Abs(float64(got[c] - want[c])); d > 1e-6*math.Abs(float64(want[c]))+1e-6 {
							t.Fatalf("%s impl=%s output %d row %d col %d: batch 1 %g, in batch %d %g", mode, impl, k, r, c, got[c], n, want[c])
						}
					}
				}
			}
		})
	}
}

// TestRNNParamConcatShape: RNNParamConcatShape infers one or two inputs of
// unknown length from the output (RNN's parameter count), splitting the
// remainder evenly, and otherwise behaves like Concat.
func TestRNNParamConcatShape(t *testing.T) {
	op, _ := ops.Lookup("_rnn_param_concat")
	for _, c := range []struct {
		n       string
		in      []ops.Shape
		out     ops.Shape
		wantIn  []ops.Shape
		wantOut ops.Shape
		err     string
	}{
		{"3", []ops.Shape{{-1}, {5}, {4}}, ops.Shape{16}, []ops.Shape{{7}, {5}, {4}}, ops.Shape{16}, ""},
		{"3", []ops.Shape{{-1}, {-1}, {4}}, ops.Shape{16}, []ops.Shape{{6}, {6}, {4}}, ops.Shape{16}, ""},
		{"2", []ops.Shape{{3}, {5}}, nil, []ops.Shape{{3}, {5}}, ops.Shape{8}, ""},
		{"2", []ops.Shape{{9}, {-1}}, ops.Shape{8}, nil, nil, "exceed"},
		{"3", []ops.Shape{{-1}, {-1}, {-1}}, ops.Shape{9}, nil, nil, "1 or 2"},
	} {
		params, err := op.Parse(map[string]string{"num_args": c.n, "dim": "0"})
		if err != nil {
			t.Fatal(err)
		}
		out := []ops.Shape{c.out}
		err = op.InferShape(params, c.in, out)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v -> %v: err = %v, want %q", c.in, c.out, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for i := range c.in {
			if !slices.Equal(c.in[i], c.wantIn[i]) {
				t.Errorf("input %d: %v, want %v", i, c.in[i], c.wantIn[i])
			}
		}
		if !slices.Equal(out[0], c.wantOut) {
			t.Errorf("output %v, want %v", out[0], c.wantOut)
		}
	}
}
