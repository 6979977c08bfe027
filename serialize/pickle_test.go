package serialize

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/tensor"
)

// Goldens written by testdata/pickle/gen_pickle.py (Python's pickle with a
// stand-in NDArray class that has MXNet 1.9.1's __reduce__/__setstate__);
// expected.npz holds the arrays as numpy wrote them.

func picklePath(name string) string { return filepath.Join("..", "testdata", "pickle", name) }

func readPickleGolden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(picklePath(name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// expectedArrays returns the arrays of expected.npz by name.
func expectedArrays(t testing.TB) map[string]*tensor.Tensor {
	t.Helper()
	l, err := LoadNDArrays(picklePath("expected.npz"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*tensor.Tensor{}
	for _, a := range l.Arrays {
		m[a.Name] = a.Tensor
	}
	return m
}

func wantArray(t *testing.T, what string, got any, want *tensor.Tensor) {
	t.Helper()
	a, ok := got.(*NDArray)
	if !ok {
		t.Fatalf("%s: got %T, want *NDArray", what, got)
	}
	if a.Tensor == nil || !tensor.Equal(a.Tensor, want) {
		t.Fatalf("%s: got %v, want %v", what, a.Tensor, want)
	}
	if a.rec == nil || a.rec.Gen != ndarray.RecordV2 || a.rec.DevType != ndarray.DevCPU {
		t.Fatalf("%s: record %+v, want V2 cpu", what, a.rec)
	}
}

func TestReadPickleProtocols(t *testing.T) {
	exp := expectedArrays(t)
	for _, name := range []string{"nd_p2.pkl", "nd_p3.pkl", "nd_p4.pkl", "nd_p5.pkl"} {
		b := readPickleGolden(t, name)
		v, err := ParsePickle(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantArray(t, name, v, exp["a"])
		v2, err := ReadPickle(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: ReadPickle: %v", name, err)
		}
		wantArray(t, name+" (ReadPickle)", v2, exp["a"])
	}
}

func TestReadPickleNested(t *testing.T) {
	exp := expectedArrays(t)
	for _, name := range []string{"nested_p4.pkl", "nested_p2.pkl"} {
		v, err := ParsePickle(readPickleGolden(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		l, ok := v.([]any)
		if !ok || len(l) != 4 {
			t.Fatalf("%s: got %#v, want a 4-element list", name, v)
		}
		wantArray(t, name+"[0]", l[0], exp["a"])
		wantArray(t, name+"[1]", l[1], exp["b"])
		tup, ok := l[2].(PickleTuple)
		if !ok || len(tup) != 2 || tup[1] != nil {
			t.Fatalf("%s[2]: got %#v, want (NDArray, None)", name, l[2])
		}
		wantArray(t, name+"[2][0]", tup[0], exp["c"])
		d, ok := l[3].(PickleDict)
		if !ok || len(d) != 4 {
			t.Fatalf("%s[3]: got %#v, want a 4-item dict", name, l[3])
		}
		keys := []any{"w", int64(3), "f", "t"}
		for i, k := range keys {
			if hashKey(d[i].Key) != hashKey(k) {
				t.Fatalf("%s[3] key %d = %#v, want %#v", name, i, d[i].Key, k)
			}
		}
		wantArray(t, name+"[3]['w']", d[0].Value, exp["d"])
		if d[1].Value != "x" || d[2].Value != 1.5 || d[3].Value != true {
			t.Fatalf("%s[3]: values %#v %#v %#v", name, d[1].Value, d[2].Value, d[3].Value)
		}
		if v, ok := d.Get(int64(3)); !ok || v != "x" {
			t.Fatalf("Get(3) = %v, %v", v, ok)
		}
	}
}

func TestReadPickleHandleBytes(t *testing.T) {
	v, err := ParsePickle(readPickleGolden(t, "handle_bytes_p4.pkl"))
	if err != nil {
		t.Fatal(err)
	}
	wantArray(t, "handle bytes", v, expectedArrays(t)["hb"])
}

func wantStates(t *testing.T, exp map[string]*tensor.Tensor) map[string]map[int]OptimizerState {
	t.Helper()
	one := func(n string) OptimizerState { return OptimizerState{Arrays: []*tensor.Tensor{exp[n]}} }
	tup := func(ns ...string) OptimizerState {
		s := OptimizerState{Tuple: true}
		for _, n := range ns {
			s.Arrays = append(s.Arrays, exp[n])
		}
		return s
	}
	return map[string]map[int]OptimizerState{
		"sgd":     {0: one("sgd_m0"), 1: one("sgd_m1"), 2: {}},
		"adam":    {0: tup("adam_mean0", "adam_var0"), 1: tup("adam_mean1", "adam_var1")},
		"rmsprop": {0: tup("rms_n0")},
	}
}

func sameStates(t *testing.T, what string, got, want map[int]OptimizerState) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d states, want %d", what, len(got), len(want))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok || g.Tuple != w.Tuple || len(g.Arrays) != len(w.Arrays) {
			t.Fatalf("%s: state %d = %+v, want %+v", what, k, g, w)
		}
		for i := range w.Arrays {
			if !tensor.Equal(g.Arrays[i], w.Arrays[i]) {
				t.Fatalf("%s: state %d array %d = %v, want %v", what, k, i, g.Arrays[i], w.Arrays[i])
			}
		}
	}
}

func TestOptimizerStatesGolden(t *testing.T) {
	want := wantStates(t, expectedArrays(t))
	for name, w := range want {
		got, err := LoadOptimizerStates(picklePath(name + "-0001.states"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sameStates(t, name, got, w)
	}
}

// TestWritePickleMatchesPython checks WritePickle's bytes against Python's
// pickle.dumps(obj, protocol=4) written without memo and framing.
func TestWritePickleMatchesPython(t *testing.T) {
	exp := expectedArrays(t)
	nested := []any{exp["a"], exp["b"], PickleTuple{exp["c"], nil},
		PickleDict{{"w", exp["d"]}, {int64(3), "x"}, {"f", 1.5}, {"t", true}}}
	objs := map[string]any{"nd": exp["a"], "nested": nested}
	for name, v := range objs {
		var buf bytes.Buffer
		if err := WritePickle(&buf, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := readPickleGolden(t, "nomemo/"+name+".pkl"); !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("%s: WritePickle differs from Python's protocol-4 opcodes\n got %q\nwant %q", name, buf.Bytes(), want)
		}
	}
	for name, states := range wantStates(t, exp) {
		var buf bytes.Buffer
		if err := WriteOptimizerStates(&buf, states); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := readPickleGolden(t, "nomemo/"+name+".pkl"); !bytes.Equal(buf.Bytes(), want) {
			t.Fatalf("%s: WriteOptimizerStates differs from Python\n got %q\nwant %q", name, buf.Bytes(), want)
		}
	}
}

func TestPickleRoundTrip(t *testing.T) {
	// Re-writing what was read keeps each array's record (context, dtype)
	// and the structure.
	b := readPickleGolden(t, "nested_p4.pkl")
	v, err := ParsePickle(b)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePickle(&buf, v); err != nil {
		t.Fatal(err)
	}
	if want := readPickleGolden(t, "nomemo/nested.pkl"); !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("re-written nested pickle differs from Python's")
	}
	// A gpu-context record from MXNet's own test (FORMATS.md §1.8) keeps
	// its context through a round trip.
	gpu := []byte{0xc9, 0xfa, 0x93, 0xf9, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	src := ndarray.NewBytesSource(gpu)
	rec, err := ndarray.ReadRecord(src)
	if err != nil {
		t.Fatal(err)
	}
	tt, _ := denseTensor(rec)
	buf.Reset()
	if err := WritePickle(&buf, &NDArray{Tensor: tt, rec: rec}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), gpu) {
		t.Fatalf("gpu record not kept: %q", buf.Bytes())
	}
	back, err := ParsePickle(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if r := back.(*NDArray).rec; r.DevType != ndarray.DevGPU {
		t.Fatalf("context %d, want gpu", r.DevType)
	}
}

func TestOptimizerStatesRoundTrip(t *testing.T) {
	w, _ := tensor.FromSlice([]float32{1, 2, 3}, 3)
	h, _ := tensor.FromSlice([]float32{-1}, 1)
	scalar, _ := tensor.FromSlice([]float32{7})
	states := map[int]OptimizerState{5: {Arrays: []*tensor.Tensor{w}}, 1: {}, 0: {Tuple: true, Arrays: []*tensor.Tensor{h, w}}, 9: {Tuple: true, Arrays: []*tensor.Tensor{}}, 3: {Arrays: []*tensor.Tensor{scalar}}}
	path := filepath.Join(t.TempDir(), OptimizerStatesPath("m", 3))
	if filepath.Base(path) != "m-0003.states" {
		t.Fatal(path)
	}
	if err := SaveOptimizerStates(path, states); err != nil {
		t.Fatal(err)
	}
	got, err := LoadOptimizerStates(path)
	if err != nil {
		t.Fatal(err)
	}
	sameStates(t, "round trip", got, states)
	if _, err := OptimizerStatesPickle(map[int]OptimizerState{0: {Arrays: []*tensor.Tensor{w, w}}}); err == nil {
		t.Fatal("two arrays without Tuple accepted")
	}
}

func TestReadPickleRefusesForeignClasses(t *testing.T) {
	for _, name := range []string{"bad_os_system_p2.pkl", "bad_os_system_p4.pkl"} {
		_, err := ParsePickle(readPickleGolden(t, name))
		var ce *PickleClassError
		if !errors.As(err, &ce) || ce.Name != "system" {
			t.Fatalf("%s: err = %v, want a PickleClassError for system", name, err)
		}
		if !strings.Contains(err.Error(), "refusing") {
			t.Fatalf("%s: unclear error %q", name, err)
		}
	}
	// GLOBAL of a foreign class, then STOP: refused before anything else.
	p := []byte("\x80\x02csubprocess\nPopen\nq\x00.")
	if _, err := ParsePickle(p); err == nil || !strings.Contains(err.Error(), "subprocess") {
		t.Fatalf("Popen: err = %v", err)
	}
	// A dict of optimizer states with an optimizer object (dump_optimizer).
	p = []byte("\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00}\x8c\x19mxnet.optimizer.optimizer\x8c\x03SGD\x93)R\x86.")
	if _, err := ParsePickle(p); err == nil || !strings.Contains(err.Error(), "mxnet.optimizer.optimizer") {
		t.Fatalf("SGD: err = %v", err)
	}
	// collections.OrderedDict, which the unpickler library knows itself.
	p = []byte("\x80\x02ccollections\nOrderedDict\n)R.")
	if _, err := ParsePickle(p); err == nil {
		t.Fatal("OrderedDict accepted")
	}
}

func TestReadPickleBadInput(t *testing.T) {
	good := readPickleGolden(t, "adam-0001.states")
	// Every truncation fails cleanly.
	for n := 0; n < len(good); n++ {
		if _, err := ParseOptimizerStates(good[:n]); err == nil {
			t.Fatalf("truncated at %d accepted", n)
		}
	}
	if _, err := ParsePickle(append(append([]byte{}, good...), 0)); err == nil || !strings.Contains(err.Error(), "trailing") {
		t.Fatalf("trailing byte: %v", err)
	}
	huge := func(op byte, n uint64) []byte {
		p := []byte{0x80, 4, op}
		p = binary.LittleEndian.AppendUint64(p, n)
		return append(p, "abc."...)
	}
	cases := map[string][]byte{
		"bytearray8 claim": huge(0x96, 1<<62),
		"binbytes8 claim":  huge(0x8e, 1<<40),
		"frame claim":      huge(0x95, 1<<50),
		"binbytes claim":   {0x80, 4, 'B', 0xff, 0xff, 0xff, 0x7f, '.'},
		"long4 negative":   {0x80, 4, 0x8b, 0xff, 0xff, 0xff, 0xff, '.'},
		"protocol 9":       {0x80, 9, 'N', '.'},
		"protocol 0":       []byte("N."),
		"unknown opcode":   {0x80, 4, 0xff, '.'},
		"empty":            {},
		"stack underflow":  {0x80, 4, 'R', '.'},
		"ext code":         {0x80, 4, 0x82, 1, '.'},
		"persistent id":    {0x80, 4, 'N', 'Q', '.'},
		"unbounded line":   append([]byte{0x80, 2, 'I'}, bytes.Repeat([]byte("1"), 5000)...),
		"ndarray no build": []byte("\x80\x04\x8c\x15mxnet.ndarray.ndarray\x8c\x07NDArray\x93N\x85R."),
		"ndarray args":     []byte("\x80\x04\x8c\x15mxnet.ndarray.ndarray\x8c\x07NDArray\x93K\x01\x85R."),
		"bad state":        []byte("\x80\x04\x8c\x15mxnet.ndarray.ndarray\x8c\x07NDArray\x93N\x85R}\x8c\x01xNsb."),
		"record garbage":   []byte("\x80\x04\x8c\x15mxnet.ndarray.ndarray\x8c\x07NDArray\x93N\x85R}\x8c\x06handleC\x04abcdsb."),
		"class result":     []byte("\x80\x04\x8c\x15mxnet.ndarray.ndarray\x8c\x07NDArray\x93."),
		"big int":          []byte("\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01."),
		"set":              []byte("\x80\x04\x8f."),
	}
	// A record claiming 2^40 elements inside a bytearray of 40 bytes.
	rec := []byte{0xc9, 0xfa, 0x93, 0xf9, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	p := []byte("\x80\x04\x8c\x15mxnet.ndarray.ndarray\x8c\x07NDArray\x93N\x85R}\x8c\x06handle\x8c\x08builtins\x8c\x09bytearray\x93C")
	p = append(append(append(p, byte(len(rec))), rec...), "\x85Rsb."...)
	cases["record huge dims"] = p
	// Deep nesting: 300 nested 1-tuples.
	deep := []byte{0x80, 4, 'N'}
	for range 300 {
		deep = append(deep, 0x85)
	}
	cases["deep tuples"] = append(deep, '.')
	deepList := []byte{0x80, 4}
	for range 300 {
		deepList = append(deepList, ']')
	}
	for range 299 {
		deepList = append(deepList, 'a')
	}
	cases["deep lists"] = append(deepList, '.')
	for name, b := range cases {
		v, err := ParsePickle(b)
		if err == nil {
			t.Errorf("%s: accepted (%#v)", name, v)
			continue
		}
		t.Logf("%s: %v", name, err)
		if len(err.Error()) > 400 || strings.ContainsAny(err.Error(), "\n") {
			t.Errorf("%s: error not one short line: %q", name, err)
		}
	}
	// Limits: MaxArrays.
	if _, err := ParsePickle(readPickleGolden(t, "nested_p4.pkl"), WithLimits(Limits{MaxArrays: 2})); err == nil || !strings.Contains(err.Error(), "MaxArrays") {
		t.Fatalf("MaxArrays: %v", err)
	}
	if _, err := ParsePickle(readPickleGolden(t, "nested_p4.pkl"), WithLimits(Limits{MaxFileBytes: 100})); err == nil {
		t.Fatal("MaxFileBytes not applied")
	}
	if _, err := ReadPickle(bytes.NewReader(readPickleGolden(t, "nested_p4.pkl")), WithLimits(Limits{MaxFileBytes: 100})); err == nil {
		t.Fatal("MaxFileBytes not applied (ReadPickle)")
	}
	// Not a dict of states.
	if _, err := ParseOptimizerStates(readPickleGolden(t, "nested_p4.pkl")); err == nil || !strings.Contains(err.Error(), "want a dict") {
		t.Fatalf("list as states: %v", err)
	}
	if _, err := ParseOptimizerStates([]byte("\x80\x04}\x8c\x01aN\x86s.")); err == nil {
		t.Fatal("string key accepted")
	}
}

func TestWritePickleRefuses(t *testing.T) {
	for name, v := range map[string]any{
		"chan":          make(chan int),
		"list key":      PickleDict{{[]any{}, nil}},
		"map":           map[string]any{},
		"nested chan":   []any{PickleTuple{struct{}{}}},
		"sparse-less":   &NDArray{rec: &ndarray.Record{Gen: ndarray.RecordV2, Storage: ndarray.StorageCSR}},
		"too deep list": deepValue(200),
	} {
		if err := WritePickle(&bytes.Buffer{}, v); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func deepValue(n int) any {
	var v any
	for range n {
		v = []any{v}
	}
	return v
}

// describeForPython mirrors gen_pickle.py's describe() for a value written
// by WritePickle.
func describeForPython(v any) any {
	switch x := v.(type) {
	case *tensor.Tensor:
		data := make([]any, x.Len())
		for i := range data {
			data[i] = x.Float64At(i)
		}
		shape := []any{}
		for _, d := range x.Shape() {
			shape = append(shape, float64(d))
		}
		return map[string]any{"ndarray": x.DType().String(), "shape": shape, "data": data}
	case PickleTuple:
		out := []any{}
		for _, e := range x {
			out = append(out, describeForPython(e))
		}
		return map[string]any{"tuple": out}
	case []any:
		out := []any{}
		for _, e := range x {
			out = append(out, describeForPython(e))
		}
		return map[string]any{"list": out}
	case PickleDict:
		out := []any{}
		for _, it := range x {
			out = append(out, []any{describeForPython(it.Key), describeForPython(it.Value)})
		}
		return map[string]any{"dict": out}
	case nil:
		return map[string]any{"NoneType": nil}
	case int64:
		return map[string]any{"int": float64(x)}
	case string:
		return map[string]any{"str": x}
	case float64:
		return map[string]any{"float": x}
	case bool:
		return map[string]any{"bool": x}
	}
	panic(fmt.Sprintf("describeForPython: %T", v))
}

// TestWrittenPicklesLoadInPython unpickles WritePickle's output with
// Python's pickle and the MXNet stand-in of gen_pickle.py, which decodes
// each record as MXNDArrayLoadFromRawBytes does.
func TestWrittenPicklesLoadInPython(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	f32, _ := tensor.FromSlice([]float32{1.5, -2, 3.25, 0, 1e-3, -7}, 2, 3)
	i32, _ := tensor.FromSlice([]int32{-5, 7, 1 << 30}, 3)
	f64, _ := tensor.FromSlice([]float64{math.Pi, -1e300}, 2, 1)
	f16, _ := f32.AsType(tensor.Float16)
	scalar, _ := tensor.New(tensor.Float32)
	scalar.SetFloat64At(0, 42)
	empty, _ := tensor.New(tensor.Float32, 2, 0)
	v := []any{f32, PickleTuple{i32, nil, f16, "s"}, PickleDict{{int64(0), f64}, {"k", PickleTuple{}}, {int64(-70000), 2.5}, {"b", []any{}}},
		scalar, empty, PickleTuple{PickleTuple{int64(1), int64(300)}, PickleTuple{true, int64(1 << 40)}}}
	var buf bytes.Buffer
	if err := WritePickle(&buf, v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "w.pkl")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, picklePath("gen_pickle.py"), "load", path).Output()
	if err != nil {
		t.Skipf("python could not run the loader (numpy missing?): %v", err)
	}
	var got any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(describeForPython(v))
	var want any
	json.Unmarshal(wantJSON, &want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Python loaded\n%s\nwant\n%s", out, wantJSON)
	}
}

func TestReadPickleBigAndNumPy(t *testing.T) {
	exp := expectedArrays(t)
	for _, name := range []string{"big_p2.pkl", "big_p4.pkl", "big_p5.pkl"} {
		v, err := ReadPickle(bytes.NewReader(readPickleGolden(t, name)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantArray(t, name, v, exp["big"])
	}
	// mx.np.ndarray pickles name mxnet.numpy.multiarray.ndarray and hold V3
	// records (np shape semantics), including a 0-dim scalar.
	v, err := ParsePickle(readPickleGolden(t, "np_ndarray_p4.pkl"))
	if err != nil {
		t.Fatal(err)
	}
	l, ok := v.([]any)
	if !ok || len(l) != 2 {
		t.Fatalf("got %#v", v)
	}
	for i, n := range []string{"np_a", "np_scalar"} {
		a := l[i].(*NDArray)
		if a.rec.Gen != ndarray.RecordV3 || !tensor.Equal(a.Tensor, exp[n]) {
			t.Fatalf("%s: %+v %v, want V3 %v", n, a.rec, a.Tensor, exp[n])
		}
	}
	if s := l[1].(*NDArray).Tensor.Shape(); len(s) != 0 {
		t.Fatalf("scalar shape %v", s)
	}
}

func TestPickleDictKeys(t *testing.T) {
	// {1: 'a', 1.0: 'b', True: 'c', 'x': 1, (1, 'y'): 2, (1.0, 'y'): 3}:
	// Python keeps key 1 with value 'c' and (1, 'y') with 3.
	p := []byte("\x80\x04}(K\x01\x8c\x01aG\x3f\xf0\x00\x00\x00\x00\x00\x00\x8c\x01b\x88\x8c\x01c\x8c\x01xK\x01K\x01\x8c\x01y\x86K\x02G\x3f\xf0\x00\x00\x00\x00\x00\x00\x8c\x01y\x86K\x03u.")
	v, err := ParsePickle(p)
	if err != nil {
		t.Fatal(err)
	}
	d := v.(PickleDict)
	if len(d) != 3 || d[0].Key != int64(1) || d[0].Value != "c" || d[1].Key != "x" || d[2].Value != int64(3) {
		t.Fatalf("%#v", d)
	}
	if hashKey(PickleTuple{int64(1), "y"}) != hashKey(PickleTuple{1.0, "y"}) || hashKey("1") == hashKey(int64(1)) || hashKey(1.5) == hashKey(int64(1)) {
		t.Fatal("hashKey")
	}
}

func TestOptimizerStatesManyParams(t *testing.T) {
	// 3,000 Adam states (6,000 arrays): well within the opcode bound.
	states := map[int]OptimizerState{}
	for i := range 3000 {
		m, _ := tensor.FromSlice([]float32{float32(i), 1}, 2)
		v, _ := tensor.FromSlice([]float32{2, float32(-i)}, 2)
		states[i] = OptimizerState{Tuple: true, Arrays: []*tensor.Tensor{m, v}}
	}
	var buf bytes.Buffer
	if err := WriteOptimizerStates(&buf, states); err != nil {
		t.Fatal(err)
	}
	got, err := ReadOptimizerStates(&buf)
	if err != nil {
		t.Fatal(err)
	}
	sameStates(t, "3000 states", got, states)
}

func TestReadPickleSharedExpansion(t *testing.T) {
	// l0 = [None]; l(i+1) = (li, li) via memo: 2^60 leaves if copied naively.
	p := []byte{0x80, 4, ']', 'N', 'a', 0x94}
	for i := range 60 {
		p = append(p, 'h', byte(i), 'h', byte(i), 0x86, 0x94)
	}
	p = append(p, '.')
	done := make(chan error, 1)
	go func() { _, err := ParsePickle(p); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "expands") {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("shared references expanded without bound")
	}
}
