package serialize

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/mxgo/mxgo/tensor"
)

// OptimizerState is one parameter's optimizer state as MXNet's
// optimizer.Updater keeps it in Updater.states[index]: Python None (no
// arrays, Tuple false), one NDArray (one array, Tuple false) or a tuple of
// NDArrays (Tuple true, also for a one-element tuple). With multi_precision
// (float16 weights), MXNet's create_state_multi_precision makes the state
// the pair (inner state, float32 master copy of the weight): Master holds
// the copy and Arrays/Tuple the inner state. It has the fields of
// train.State, so the two convert with a plain type conversion.
type OptimizerState struct {
	// Arrays are the state arrays in MXNet's order.
	Arrays []*tensor.Tensor
	// Tuple reports whether the state is a Python tuple.
	Tuple bool
	// Master, when not nil, is the float32 master copy of a float16
	// weight: the pickled state is the tuple (inner state, Master).
	Master *tensor.Tensor
}

// OptimizerStatesPath returns PREFIX-NNNN.states, the file Module's
// save_checkpoint(prefix, epoch, save_optimizer_states=True) writes.
func OptimizerStatesPath(prefix string, epoch int) string {
	return fmt.Sprintf("%s-%04d.states", prefix, epoch)
}

// ReadOptimizerStates reads an optimizer-state file: what MXNet 1.x's
// Module.save_optimizer_states writes without a kvstore,
// Updater.get_states() = pickle.dumps(states) with states a dict of
// parameter index → None | NDArray | tuple of NDArrays, or, for the
// float16 weights of a multi_precision optimizer, (None | tuple, NDArray):
// the inner state and the float32 master copy (OptimizerState.Master). A
// multi-precision state whose inner state is one NDArray (SGD with
// momentum) is the pair (NDArray, NDArray), which the file cannot tell from
// a two-array state: it is read as a tuple of two arrays, and the optimizer
// that knows its state layout splits it (train.Updater does). A pickled
// optimizer (get_states(dump_optimizer=True)) is refused. Sparse state
// arrays are densified. Options and errors as for ReadPickle.
func ReadOptimizerStates(r io.Reader, opts ...Option) (map[int]OptimizerState, error) {
	v, err := ReadPickle(r, opts...)
	if err != nil {
		return nil, err
	}
	return optimizerStates(v)
}

// ParseOptimizerStates decodes an optimizer-state file held in b (see
// ReadOptimizerStates).
func ParseOptimizerStates(b []byte, opts ...Option) (map[int]OptimizerState, error) {
	v, err := ParsePickle(b, opts...)
	if err != nil {
		return nil, err
	}
	return optimizerStates(v)
}

// LoadOptimizerStates reads the optimizer-state file at path (see
// ReadOptimizerStates). Errors name the file.
func LoadOptimizerStates(path string, opts ...Option) (map[int]OptimizerState, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := ReadOptimizerStates(f, opts...)
	return s, withFile(err, path)
}

func optimizerStates(v any) (map[int]OptimizerState, error) {
	d, ok := v.(PickleDict)
	if !ok {
		return nil, &FormatError{Msg: fmt.Sprintf("optimizer states: the pickle holds %s, want a dict of parameter index to state", pyType(v))}
	}
	out := make(map[int]OptimizerState, len(d))
	for _, it := range d {
		k, ok := it.Key.(int64)
		if !ok || k < 0 || k > 1<<31-1 {
			return nil, &FormatError{Msg: fmt.Sprintf("optimizer states: key %v (%s) is not a parameter index", it.Key, pyType(it.Key))}
		}
		s, err := optimizerState(it.Value)
		if err != nil {
			return nil, &FormatError{Msg: fmt.Sprintf("optimizer states: index %d: %v", k, err)}
		}
		out[int(k)] = s
	}
	return out, nil
}

func optimizerState(v any) (OptimizerState, error) {
	switch x := v.(type) {
	case nil:
		return OptimizerState{}, nil
	case *NDArray:
		t, err := x.Dense()
		if err != nil {
			return OptimizerState{}, err
		}
		return OptimizerState{Arrays: []*tensor.Tensor{t}}, nil
	case PickleTuple:
		if len(x) == 2 {
			if _, inner := x[0].(PickleTuple); inner || x[0] == nil {
				// (inner state, weight32) of multi_precision.
				m, ok := x[1].(*NDArray)
				if !ok {
					return OptimizerState{}, fmt.Errorf("multi-precision state: master copy is %s, want NDArray", pyType(x[1]))
				}
				master, err := m.Dense()
				if err != nil {
					return OptimizerState{}, fmt.Errorf("multi-precision master copy: %w", err)
				}
				if master.DType() != tensor.Float32 {
					return OptimizerState{}, fmt.Errorf("multi-precision master copy is %s, want float32", master.DType())
				}
				s := OptimizerState{}
				if x[0] != nil {
					if s, err = optimizerState(x[0]); err != nil {
						return OptimizerState{}, fmt.Errorf("multi-precision inner state: %w", err)
					}
					if s.Master != nil {
						return OptimizerState{}, fmt.Errorf("multi-precision inner state holds a master copy too")
					}
				}
				s.Master = master
				return s, nil
			}
		}
		s := OptimizerState{Tuple: true, Arrays: make([]*tensor.Tensor, len(x))}
		for i, e := range x {
			a, ok := e.(*NDArray)
			if !ok {
				return OptimizerState{}, fmt.Errorf("tuple element %d is %s, want NDArray", i, pyType(e))
			}
			t, err := a.Dense()
			if err != nil {
				return OptimizerState{}, fmt.Errorf("tuple element %d: %w", i, err)
			}
			s.Arrays[i] = t
		}
		return s, nil
	}
	return OptimizerState{}, fmt.Errorf("state is %s, want None, NDArray or tuple of NDArrays", pyType(v))
}

// pyType names the Python type of a decoded pickle value.
func pyType(v any) string {
	switch v.(type) {
	case nil:
		return "None"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []byte:
		return "bytes"
	case []any:
		return "list"
	case PickleTuple:
		return "tuple"
	case PickleDict:
		return "dict"
	case *NDArray:
		return "NDArray"
	}
	return fmt.Sprintf("%T", v)
}

// OptimizerStatesPickle returns states as the value Updater.get_states
// pickles: a PickleDict in ascending index order (the order MXNet's Updater
// creates them in for Module's parameters).
func OptimizerStatesPickle(states map[int]OptimizerState) (PickleDict, error) {
	keys := make([]int, 0, len(states))
	for k := range states {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	d := make(PickleDict, 0, len(keys))
	for _, k := range keys {
		s := states[k]
		var v any
		switch {
		case s.Tuple:
			t := make(PickleTuple, len(s.Arrays))
			for i, a := range s.Arrays {
				if a == nil {
					return nil, fmt.Errorf("optimizer state %d: array %d is nil", k, i)
				}
				t[i] = a
			}
			v = t
		case len(s.Arrays) == 1:
			if s.Arrays[0] == nil {
				return nil, fmt.Errorf("optimizer state %d: array is nil", k)
			}
			v = s.Arrays[0]
		case len(s.Arrays) > 1:
			return nil, fmt.Errorf("optimizer state %d: %d arrays need Tuple", k, len(s.Arrays))
		}
		if s.Master != nil {
			v = PickleTuple{v, s.Master}
		}
		d = append(d, PickleItem{int64(k), v})
	}
	return d, nil
}

// WriteOptimizerStates writes states as MXNet's Updater.get_states() does
// (a protocol-4 pickle of {index: state}, indices ascending); MXNet's
// Module.load_optimizer_states reads the result.
func WriteOptimizerStates(w io.Writer, states map[int]OptimizerState) error {
	d, err := OptimizerStatesPickle(states)
	if err != nil {
		return err
	}
	return WritePickle(w, d)
}

// SaveOptimizerStates writes states to path (see WriteOptimizerStates).
// On error the partial file is removed.
func SaveOptimizerStates(path string, states map[int]OptimizerState) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := WriteOptimizerStates(bw, states); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return bw.Flush()
}
