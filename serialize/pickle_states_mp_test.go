package serialize

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// wantMPStates are the multi-precision goldens (gen_pickle.py): SGD with
// momentum's (m, w32) pairs read as two-array tuples; (None, w32) and
// ((mean, var), w32) carry the master copy.
func wantMPStates(exp map[string]*tensor.Tensor) map[string]map[int]OptimizerState {
	return map[string]map[int]OptimizerState{
		"sgd_mp": {
			0: {Tuple: true, Arrays: []*tensor.Tensor{exp["mp_m0"], exp["mp_w0"]}},
			1: {Tuple: true, Arrays: []*tensor.Tensor{exp["mp_m1"], exp["mp_w1"]}},
		},
		"sgd_mp_nomom": {0: {Master: exp["mp_w1"]}},
		"adam_mp":      {0: {Tuple: true, Arrays: []*tensor.Tensor{exp["mp_adam_mean"], exp["mp_adam_var"]}, Master: exp["mp_adam_w"]}},
	}
}

func sameMPStates(t *testing.T, what string, got, want map[int]OptimizerState) {
	t.Helper()
	sameStates(t, what, got, want)
	for k, w := range want {
		g := got[k]
		if (g.Master == nil) != (w.Master == nil) || w.Master != nil && !tensor.Equal(g.Master, w.Master) {
			t.Fatalf("%s: state %d master %v, want %v", what, k, g.Master, w.Master)
		}
	}
}

func TestOptimizerStatesMultiPrecisionGolden(t *testing.T) {
	exp := expectedArrays(t)
	for name, want := range wantMPStates(exp) {
		got, err := LoadOptimizerStates(picklePath(name + "-0001.states"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sameMPStates(t, name, got, want)
		// Written back, the bytes are Python's (no memo, no frames).
		var buf bytes.Buffer
		if err := WriteOptimizerStates(&buf, want); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if g := readPickleGolden(t, "nomemo/"+name+".pkl"); !bytes.Equal(buf.Bytes(), g) {
			t.Fatalf("%s: WriteOptimizerStates differs from Python\n got %q\nwant %q", name, buf.Bytes(), g)
		}
		back, err := ParseOptimizerStates(buf.Bytes())
		if err != nil {
			t.Fatalf("%s: round trip: %v", name, err)
		}
		sameMPStates(t, name+" round trip", back, want)
	}
}

func TestOptimizerStatesMultiPrecisionBad(t *testing.T) {
	f16, _ := tensor.New(tensor.Float16, 2)
	f32, _ := tensor.New(tensor.Float32, 2)
	cases := map[string]struct {
		v    any
		want string
	}{
		"master not an array":  {PickleDict{{int64(0), PickleTuple{nil, "w"}}}, "master copy is str"},
		"float16 master":       {PickleDict{{int64(0), PickleTuple{nil, f16}}}, "want float32"},
		"master inside master": {PickleDict{{int64(0), PickleTuple{PickleTuple{nil, f32}, f32}}}, "holds a master copy too"},
		"bad inner":            {PickleDict{{int64(0), PickleTuple{PickleTuple{"x"}, f32}}}, "inner state"},
	}
	for name, c := range cases {
		var buf bytes.Buffer
		if err := WritePickle(&buf, c.v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		_, err := ParseOptimizerStates(buf.Bytes())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, c.want)
		}
	}
}

// Every truncation of a multi-precision states file fails cleanly.
func TestOptimizerStatesMultiPrecisionTruncated(t *testing.T) {
	for _, name := range []string{"sgd_mp", "adam_mp", "sgd_mp_nomom"} {
		good := readPickleGolden(t, name+"-0001.states")
		for n := 0; n < len(good); n++ {
			if _, err := ParseOptimizerStates(good[:n]); err == nil {
				t.Fatalf("%s truncated at %d accepted", name, n)
			}
		}
	}
}
