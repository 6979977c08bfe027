package serialize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/internal/quote"
)

// A Python pickle of MXNet NDArrays decodes to a tree of these Go values:
//
//	None             nil
//	bool             bool
//	int              int64 (ints beyond int64 are refused)
//	float            float64
//	str              string
//	bytes, bytearray []byte
//	list             []any
//	tuple            PickleTuple
//	dict             PickleDict (keys in the pickle's order)
//	NDArray          *NDArray (Tensor set unless sparse or none)
//
// MXNet 1.x pickles an NDArray through NDArray.__reduce__, which returns
// (NDArray, (None,), {'handle': bytearray(raw)}) with raw the array's single
// record (MXNDArraySaveRawBytes, FORMATS.md §1.8; a none array has handle
// None). Unpickling calls mxnet.ndarray.ndarray.NDArray(None) and then
// __setstate__ with that dict; mxnet.numpy.multiarray.ndarray (mx.np)
// pickles the same way. Those two classes, builtins.bytearray (how
// protocols 2–4 store a bytearray) and _codecs.encode (how protocol 2 stores
// bytes) are the only globals a pickle may name; any other class or function
// is refused with a *PickleClassError before anything is built, and nothing
// is ever executed.

// PickleTuple is a Python tuple.
type PickleTuple []any

// PickleItem is one key/value pair of a Python dict.
type PickleItem struct {
	Key, Value any
}

// PickleDict is a Python dict, in insertion order. Keys are hashable
// values: nil, bool, int64, float64, string, or a PickleTuple of those. Keys
// compare as in Python (1, 1.0 and True are the same key); reading a pickle
// that sets a key twice keeps its first position and last value.
type PickleDict []PickleItem

// Get returns the value for key (compared as Python compares keys) and
// whether it exists.
func (d PickleDict) Get(key any) (any, bool) {
	h := hashKey(key)
	for _, it := range d {
		if hashKey(it.Key) == h {
			return it.Value, true
		}
	}
	return nil, false
}

// PickleClassError reports a pickle that names a Python global other than
// the few an NDArray pickle needs. The pickle is refused, never executed.
type PickleClassError struct {
	Module, Name string
}

func (e *PickleClassError) Error() string {
	return fmt.Sprintf("pickle refers to Python global %s.%s, which is not an MXNet NDArray; refusing it (only mxnet.ndarray.ndarray.NDArray, mxnet.numpy.multiarray.ndarray, bytearray and bytes may appear)",
		quote.String(e.Module), quote.String(e.Name))
}

// maxPickleDepth bounds the nesting of lists, tuples and dicts in a pickle.
// MXNet's .states files nest three deep (dict → tuple → NDArray).
const maxPickleDepth = 100

// PickleProto is the first byte of a pickle of protocol 2 or later (the
// PROTO opcode); readers sniff it to tell a pickle from other NDArray files.
const PickleProto = 0x80

// IsPickle reports whether head starts like a pickle of protocol 2–5.
func IsPickle(head []byte) bool {
	return len(head) >= 2 && head[0] == PickleProto && head[1] >= 2 && head[1] <= 5
}

// ReadPickle reads one Python pickle (protocols 2–5) of MXNet NDArrays,
// possibly inside lists, tuples and dicts, and returns its value as
// described above. The input is bounded by the Limits given with
// WithLimits (DefaultLimits otherwise): its size by MaxFileBytes, the
// number of arrays by MaxArrays, each array by MaxElements and all of them
// by MaxTotalBytes; every length a pickle claims is checked against the
// bytes present before anything is allocated. Errors about the input are
// *FormatError; one for a pickle naming a foreign Python global wraps a
// *PickleClassError (errors.As finds it).
func ReadPickle(r io.Reader, opts ...Option) (any, error) {
	bud := newBudget(opts)
	b, err := io.ReadAll(&limitedReader{r: r, n: bud.lim.MaxFileBytes, max: bud.lim.MaxFileBytes})
	if err != nil {
		return nil, &FormatError{Msg: fmt.Sprintf("reading pickle: %v", err)}
	}
	return parsePickle(b, bud)
}

// ParsePickle decodes a pickle held in b, as ReadPickle. The arrays are
// copied out of b.
func ParsePickle(b []byte, opts ...Option) (any, error) {
	bud := newBudget(opts)
	if int64(len(b)) > bud.lim.MaxFileBytes {
		return nil, &FormatError{Msg: fmt.Sprintf("pickle of %d bytes exceeds the limit of %d (Limits.MaxFileBytes)", len(b), bud.lim.MaxFileBytes)}
	}
	return parsePickle(b, bud)
}

func parsePickle(b []byte, bud *budget) (any, error) {
	if err := scanPickle(b); err != nil {
		return nil, err
	}
	st := &unpickleState{bud: bud}
	u := pickle.NewUnpickler(bytes.NewReader(b))
	u.FindClass = st.findClass
	u.PersistentLoad = func(any) (any, error) {
		return nil, errors.New("pickle uses a persistent id; refusing it")
	}
	u.GetExtension = func(code int) (any, error) {
		return nil, fmt.Errorf("pickle uses extension code %d; refusing it", code)
	}
	v, err := load(&u)
	if err != nil {
		if st.class != nil {
			return nil, &FormatError{Msg: st.class.Error(), Err: st.class}
		}
		if st.err != nil {
			return nil, &FormatError{Msg: st.err.Error()}
		}
		return nil, &FormatError{Msg: fmt.Sprintf("pickle: %v", err)}
	}
	out, err := st.convert(v, 0)
	if err != nil {
		return nil, &FormatError{Msg: err.Error()}
	}
	return out, nil
}

// load runs the unpickler, turning a panic inside it (gopickle indexes its
// stack unchecked for some malformed opcode sequences, e.g. DICT over an
// odd number of items) into an error. Memory is bounded before this runs
// (scanPickle), so a panic is only ever such an index error.
func load(u *pickle.Unpickler) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("malformed pickle (%v)", r)
		}
	}()
	return u.Load()
}

// unpickleState holds one decode's budget and array count.
type unpickleState struct {
	bud    *budget
	arrays int
	err    error             // the first array error
	class  *PickleClassError // the first foreign global
	nodes  int               // values converted so far
}

// maxPickleNodes bounds the values of the decoded tree: a pickle can share
// one object many times (memo GET), so a small pickle could otherwise
// expand exponentially when copied into the Go tree.
const maxPickleNodes = 2 * maxPickleOps

func (st *unpickleState) findClass(module, name string) (any, error) {
	switch {
	case module == "mxnet.ndarray.ndarray" && name == "NDArray",
		module == "mxnet.numpy.multiarray" && name == "ndarray":
		return &ndarrayClass{st: st, module: module, name: name}, nil
	case (module == "builtins" || module == "__builtin__") && name == "bytearray":
		return bytearrayClass{}, nil
	case module == "_codecs" && name == "encode":
		return codecsEncode{}, nil
	}
	ce := &PickleClassError{Module: module, Name: name}
	if st.class == nil {
		st.class = ce
	}
	return nil, ce
}

// ndarrayClass is the NDArray class: calling it with (None,) makes an empty
// array that BUILD then fills from its 'handle'.
type ndarrayClass struct {
	st           *unpickleState
	module, name string
}

func (c *ndarrayClass) Call(args ...any) (any, error) {
	if len(args) != 1 || args[0] != nil {
		return nil, fmt.Errorf("%s.%s called with %d arguments (%s), want (None,) as NDArray.__reduce__ writes", c.module, c.name, len(args), argTypes(args))
	}
	return &pickledArray{st: c.st}, nil
}

func argTypes(args []any) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%T", a)
	}
	return b.String()
}

// pickledArray is an NDArray being unpickled.
type pickledArray struct {
	st  *unpickleState
	set bool
	a   NDArray
}

// PySetState is NDArray.__setstate__: state is {'handle': raw record bytes
// or None}.
func (p *pickledArray) PySetState(state any) error {
	err := p.setState(state)
	if err != nil && p.st.err == nil {
		p.st.err = err
	}
	return err
}

func (p *pickledArray) setState(state any) error {
	if p.set {
		return errors.New("NDArray state set twice")
	}
	p.set = true
	d, ok := state.(*types.Dict)
	if !ok || d.Len() != 1 {
		return fmt.Errorf("NDArray state is %T, want {'handle': bytearray}", state)
	}
	e := (*d)[0]
	if k, ok := e.Key.(string); !ok || k != "handle" {
		return fmt.Errorf("NDArray state key is %v, want 'handle'", e.Key)
	}
	st := p.st
	st.arrays++
	if st.arrays > st.bud.lim.MaxArrays {
		return fmt.Errorf("more than %d arrays (Limits.MaxArrays)", st.bud.lim.MaxArrays)
	}
	var raw []byte
	switch h := e.Value.(type) {
	case nil: // an NDArray without a handle
		return nil
	case *types.ByteArray:
		raw = *h
	case []byte:
		raw = h
	default:
		return fmt.Errorf("NDArray handle is %T, want bytearray", e.Value)
	}
	src := ndarray.NewBytesSource(raw)
	src.Copy = true
	rec, err := ndarray.ReadRecord(src)
	if err != nil {
		return fmt.Errorf("NDArray record: %w", err)
	}
	if rem := src.Remaining(); rem != 0 {
		return fmt.Errorf("NDArray record: %d trailing bytes after the record", rem)
	}
	if err := checkRecord(rec, st.bud); err != nil {
		return fmt.Errorf("NDArray record: %w", err)
	}
	p.a.rec = rec
	if !rec.None && rec.Storage == ndarray.StorageDefault {
		if p.a.Tensor, err = denseTensor(rec); err != nil {
			return fmt.Errorf("NDArray record: %w", err)
		}
	}
	return nil
}

// bytearrayClass is builtins.bytearray: bytearray(bytes) (protocols 3–4)
// or bytearray(str, 'latin-1') (protocol 2).
type bytearrayClass struct{}

func (bytearrayClass) Call(args ...any) (any, error) {
	switch {
	case len(args) == 0:
		return []byte{}, nil
	case len(args) == 1:
		if b, ok := args[0].([]byte); ok {
			return b, nil
		}
	case len(args) == 2 && args[1] == "latin-1":
		if s, ok := args[0].(string); ok {
			return latin1(s)
		}
	}
	return nil, fmt.Errorf("bytearray called with unsupported arguments (%d)", len(args))
}

// codecsEncode is _codecs.encode(str, 'latin1'), protocol 2's bytes.
type codecsEncode struct{}

func (codecsEncode) Call(args ...any) (any, error) {
	if len(args) == 2 && (args[1] == "latin1" || args[1] == "latin-1") {
		if s, ok := args[0].(string); ok {
			return latin1(s)
		}
	}
	return nil, errors.New("_codecs.encode called with unsupported arguments")
}

func latin1(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xff {
			return nil, fmt.Errorf("latin-1 string holds U+%04X", r)
		}
		out = append(out, byte(r))
	}
	return out, nil
}

// convert turns gopickle's values into the documented Go tree.
func (st *unpickleState) convert(v any, depth int) (any, error) {
	if depth > maxPickleDepth {
		return nil, fmt.Errorf("pickle nests deeper than %d levels", maxPickleDepth)
	}
	if st.nodes++; st.nodes > maxPickleNodes {
		return nil, fmt.Errorf("pickle expands to more than %d values (shared references)", maxPickleNodes)
	}
	switch x := v.(type) {
	case nil, bool, float64, string:
		return x, nil
	case int:
		return int64(x), nil
	case *big.Int:
		if !x.IsInt64() {
			return nil, fmt.Errorf("pickle integer %s does not fit in int64", x)
		}
		return x.Int64(), nil
	case []byte:
		return x, nil
	case *types.ByteArray:
		return []byte(*x), nil
	case *pickledArray:
		if !x.set {
			return nil, errors.New("NDArray without state (no BUILD)")
		}
		a := x.a
		return &a, nil
	case *types.List:
		out := make([]any, len(*x))
		for i, e := range *x {
			c, err := st.convert(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case *types.Tuple:
		out := make(PickleTuple, len(*x))
		for i, e := range *x {
			c, err := st.convert(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case *types.Dict:
		out := make(PickleDict, 0, len(*x))
		index := make(map[string]int, len(*x))
		for _, e := range *x {
			k, err := st.convert(e.Key, depth+1)
			if err != nil {
				return nil, err
			}
			if !hashable(k, 0) {
				return nil, fmt.Errorf("pickle dict key of type %T is not hashable", k)
			}
			val, err := st.convert(e.Value, depth+1)
			if err != nil {
				return nil, err
			}
			hk := hashKey(k)
			if i, dup := index[hk]; dup {
				out[i].Value = val
				continue
			}
			index[hk] = len(out)
			out = append(out, PickleItem{k, val})
		}
		return out, nil
	case *ndarrayClass, bytearrayClass, codecsEncode:
		return nil, errors.New("pickle returns a class object instead of an instance")
	}
	return nil, fmt.Errorf("pickle holds an unsupported Python object (%T); only None, bool, int, float, str, bytes, list, tuple, dict and NDArray are allowed", v)
}

// hashKey encodes a hashable key so that keys Python considers equal
// (keyEqual) encode the same: numbers by value, strings and tuples tagged.
func hashKey(k any) string {
	switch x := k.(type) {
	case nil:
		return "N"
	case bool:
		if x {
			return "i1"
		}
		return "i0"
	case int64:
		return "i" + strconv.FormatInt(x, 10)
	case float64:
		if x == math.Trunc(x) && x >= -(1<<63) && x < 1<<63 {
			return "i" + strconv.FormatInt(int64(x), 10)
		}
		return "f" + strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return "s" + strconv.Itoa(len(x)) + ":" + x
	case PickleTuple:
		var b strings.Builder
		b.WriteString("t" + strconv.Itoa(len(x)) + "(")
		for _, e := range x {
			b.WriteString(hashKey(e))
			b.WriteByte(',')
		}
		return b.String()
	}
	return fmt.Sprintf("?%T", k)
}

func hashable(k any, depth int) bool {
	switch x := k.(type) {
	case nil, bool, int64, float64, string:
		return true
	case PickleTuple:
		if depth > maxPickleDepth {
			return false
		}
		for _, e := range x {
			if !hashable(e, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}
