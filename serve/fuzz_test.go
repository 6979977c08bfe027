package serve

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var (
	fuzzOnce   sync.Once
	fuzzLoaded *loaded
)

func fuzzModel(t testing.TB) *loaded {
	fuzzOnce.Do(func() {
		s, err := New(Options{Models: []ModelSpec{{Name: "mlp", Prefix: mlpPrefix, Epoch: 0}}, Logger: quietLogger(), PollInterval: -1})
		if err != nil {
			t.Fatal(err)
		}
		fuzzLoaded = s.models["mlp"].current()
	})
	return fuzzLoaded
}

// FuzzDecodeREST feeds arbitrary bodies (JSON, or JSON plus binary tensor
// data when jsonLen >= 0) to the REST request decoder: it must never
// panic, refuse only with client errors, and accept only inputs that fit
// the model.
func FuzzDecodeREST(f *testing.F) {
	img := make([]float32, 784)
	raw := make([]byte, 784*4)
	for i := range img {
		img[i] = float32(i) / 784
		binary.LittleEndian.PutUint32(raw[i*4:], math.Float32bits(img[i]))
	}
	good := string(inferJSON([]int{1, 1, 28, 28}, img))
	bin := `{"inputs":[{"name":"data","shape":[1,1,28,28],"datatype":"FP32","parameters":{"binary_data_size":3136}}],"parameters":{"binary_data_output":true}}`
	f.Add([]byte(good), -1)
	f.Add([]byte(bin+string(raw)), len(bin))
	f.Add([]byte(bin+string(raw[:7])), len(bin))
	f.Add([]byte(`{"inputs":[{"name":"data","shape":[1,1,28,28],"datatype":"FP32","data":[[[`+strings.Repeat("1,", 783)+`1]]]}]}`), -1)
	f.Add([]byte(`{"inputs":[{"name":"data","shape":[2,1,1,1],"datatype":"FP32","data":[[1],[2]]}],"outputs":[{"name":"x","parameters":{"binary_data":true}}]}`), -1)
	f.Add([]byte(`{"inputs":[{"name":"data","shape":[1,1,28,28],"datatype":"FP32","data":[1e39,-0,.5,1e,"a",true,null]}]}`), -1)
	f.Add([]byte(`{"inputs":[{"name":"data","shape":[9223372036854775807,1,28,28],"datatype":"FP32","data":[]}]}`), -1)
	f.Add([]byte(`{"inputs":[{"name":"data","shape":[1,1,28,28],"datatype":"FP32","data":`+strings.Repeat("[", 40)+`]}]}`), -1)
	l := fuzzModel(f)
	f.Fuzz(func(t *testing.T, body []byte, jsonLen int) {
		if jsonLen < -1 {
			jsonLen = -1
		}
		p, err := decodeREST(l, body, jsonLen)
		if err != nil {
			if k := kindOf(err); k != kindInvalid {
				t.Fatalf("kind %d for a bad request: %v", k, err)
			}
			return
		}
		ins, rows, err := l.assemble(p.ins)
		if err != nil {
			if kindOf(err) != kindInvalid {
				t.Fatalf("assemble: %v", err)
			}
			return
		}
		if rows < 1 || ins[0].Len() != rows*784 || ins[0].Dim(1) != 1 || ins[0].Dim(2) != 28 || ins[0].Dim(3) != 28 {
			t.Fatalf("accepted input of shape %v", ins[0].Shape())
		}
		if _, _, err := l.selectOutputs(nil); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzScanJSON checks the data scanner against encoding/json: on any valid
// JSON value made of arrays and numbers it must give the same numbers in
// row-major order; on anything else it must not panic.
func FuzzScanJSON(f *testing.F) {
	for _, s := range []string{`[1,2,3]`, `[[1,2],[3,4]]`, `[]`, `[[]]`, `1`, `[1,,2]`, `[1 2]`, `[[1],2]`, `[`, `]`, `[-0.5e3, 7]`, ` [ [ 1 ] , [ ] ] `} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var toks []string
		err := scanJSON([]byte(s), func(tok []byte) error { toks = append(toks, string(tok)); return nil })
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		var want []float64
		var flat func(v any) bool
		flat = func(v any) bool {
			switch x := v.(type) {
			case float64:
				want = append(want, x)
				return true
			case []any:
				for _, e := range x {
					if !flat(e) {
						return false
					}
				}
				return true
			}
			return false
		}
		if !flat(v) || depth(s) > maxJSONDepth {
			return
		}
		if err != nil || len(toks) != len(want) {
			t.Fatalf("scan %q: %d tokens %v, encoding/json has %d numbers", s, len(toks), err, len(want))
		}
		for i, tok := range toks {
			if g, err := strconv.ParseFloat(tok, 64); err != nil || g != want[i] {
				t.Fatalf("scan %q: token %d = %q, encoding/json %v", s, i, tok, want[i])
			}
		}
	})
}

// depth is the deepest bracket nesting of s.
func depth(s string) int {
	d, m := 0, 0
	for _, c := range s {
		switch c {
		case '[':
			d++
			m = max(m, d)
		case ']':
			d--
		}
	}
	return m
}
