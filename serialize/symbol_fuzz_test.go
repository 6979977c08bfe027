package serialize

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/internal/malformed"
)

// checkErrorText requires an error about untrusted input to be one line of
// at most 300 bytes without control characters.
func checkErrorText(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if len(msg) > 300 || strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		t.Fatalf("error text of %d bytes: %q", len(msg), msg)
	}
}

// FuzzReadSymbol feeds arbitrary bytes to the symbol JSON reader. Seeds are
// every real file plus malformed variants (testdata/fuzz/FuzzReadSymbol
// holds crashers found earlier). Properties: no panic; anything accepted
// prints, the print reads back and prints identically, and indexing and
// inference run without panicking.
func FuzzReadSymbol(f *testing.F) {
	for _, name := range symbolFiles {
		f.Add(readFile(f, name))
	}
	f.Add([]byte(tiny))
	f.Add([]byte(`{"nodes": [{"op": "Activation", "name": "r", "attrs": {"act_type": "relu"}, "inputs": [[0, 0, 0]]}], "arg_nodes": [], "heads": [[0, 0, 0]]}`))
	f.Add([]byte(`{"nodes": [{"op": "null", "name": "x", "inputs": []}], "arg_nodes": [0], "heads": [[0, 5, 0]]}`))
	f.Add([]byte(`{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "FullyConnected", "name": "f", "inputs": [[0, 0]]}], "arg_nodes": [1], "heads": [[1, 0]]}`))
	f.Add([]byte(`{"nodes": [{"op": "null", "name": "x", "inputs": []}, {"op": "Pooling", "name": "p", "attr": {"kernel": "(2,2)"}, "inputs": [[0, 0]]}], "arg_nodes": [0], "node_row_ptr": [0, 1, 3], "heads": [[1, 1]]}`))
	for _, c := range malformed.Cases(false) {
		if c.Kind == malformed.Symbol && len(c.Data) < 4096 {
			f.Add(c.Data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := ParseSymbol(data)
		if err != nil {
			if _, ok := err.(*SymbolError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			checkErrorText(t, err)
			return
		}
		opts := &SymbolOptions{MXNetVersion: sf.MXNetVersion}
		out, err := MarshalSymbol(sf.Symbol, opts)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		again, err := ParseSymbol(out)
		if err != nil {
			t.Fatalf("re-read: %v\n%s", err, out)
		}
		out2, err := MarshalSymbol(again.Symbol, opts)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("second print differs (%v)", err)
		}
		sf.Symbol.ListArguments()
		sf.Symbol.ListAuxiliaryStates()
		sf.Symbol.Internals().ListOutputs()
		g, err := graph.Index(sf.Symbol)
		if err != nil {
			return
		}
		if tab, err := graph.InferShapes(g, nil); err == nil {
			tab.Unknown()
			tab.Complete()
		}
		if tab, err := graph.InferTypes(g, nil); err == nil {
			tab.Complete()
		}
	})
}
