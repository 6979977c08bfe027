package executor_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
)

// FuzzBind parses fuzzed symbol JSON, infers shapes and types for a fuzzed
// data shape and binds it with zero-filled parameters (AllowMissing) under
// a small memory limit. Untrusted graphs and shapes must give errors,
// never panics, hangs or huge allocations. Seeded from the repository's
// real MXNet symbol files.
func FuzzBind(f *testing.F) {
	files, _ := filepath.Glob("../testdata/mxnet/*/*symbol*.json")
	more, _ := filepath.Glob("../testdata/mxnet/*/*deploy.json")
	seen := map[string]bool{}
	for _, name := range append(files, more...) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 100<<10 || seen[name] { // big seeds slow mutation down to a crawl
			continue
		}
		seen[name] = true
		f.Add(b, uint8(4), uint16(1), uint16(1), uint16(28), uint16(28))
		f.Add(b, uint8(4), uint16(2), uint16(3), uint16(32), uint16(32))
		f.Add(b, uint8(2), uint16(1), uint16(8), uint16(0), uint16(0))
	}
	f.Fuzz(func(t *testing.T, js []byte, ndim uint8, d0, d1, d2, d3 uint16) {
		sym, err := serialize.ReadSymbol(bytes.NewReader(js))
		if err != nil {
			return
		}
		dims := []int{int(d0), int(d1), int(d2), int(d3)}[:ndim%5]
		data := ""
		inputs, err := executor.DataInputs(sym, nil, nil)
		if err != nil || len(inputs) == 0 {
			return
		}
		data = inputs[0]
		for _, in := range inputs {
			if in == "data" {
				data = in
			}
		}
		if g, err := graph.Index(sym); err == nil {
			_, _ = graph.InferShapes(g, map[string][]int{data: dims})
			_, _ = graph.InferTypes(g, nil)
		}
		_, _ = sym.Copy(), sym.Internals()
		_, _, _, _ = sym.InferShape(map[string][]int{data: dims})
		_, _ = executor.Bind(sym, nil, nil, map[string][]int{data: dims},
			executor.AllowMissing(), executor.WithMemoryLimit(64<<20), executor.WithThreads(1))
	})
}
