package executor_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
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

// FuzzPredictSplit binds fuzzed graphs (seeded from the real symbol files)
// at a fuzzed batch on 1 and on 2 threads and predicts on the same inputs:
// where Bind splits the batch (or not), the outputs must be the bits the
// 1-thread model gives — a graph the split would cut wrongly shows up as
// a difference. Graphs whose 1-thread outputs are not reproducible (random
// ops) and plans over 4 MiB are skipped.
func FuzzPredictSplit(f *testing.F) {
	files, _ := filepath.Glob("../testdata/mxnet/*/*symbol*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 60<<10 {
			continue
		}
		f.Add(b, uint8(3), uint16(1), uint16(28), uint16(28))
		f.Add(b, uint8(5), uint16(3), uint16(32), uint16(32))
		f.Add(b, uint8(4), uint16(784), uint16(0), uint16(0))
	}
	f.Fuzz(func(t *testing.T, js []byte, batch uint8, d1, d2, d3 uint16) {
		sym, err := serialize.ReadSymbol(bytes.NewReader(js))
		if err != nil {
			return
		}
		inputs, err := executor.DataInputs(sym, nil, nil)
		if err != nil || len(inputs) == 0 {
			return
		}
		data := inputs[0]
		for _, in := range inputs {
			if in == "data" {
				data = in
			}
		}
		dims := []int{int(batch%8) + 2, int(d1 % 1024)}
		if d2 > 0 {
			dims = append(dims, int(d2%64))
			if d3 > 0 {
				dims = append(dims, int(d3%64))
			}
		}
		shapes := map[string][]int{data: dims}
		// Zero-filled parameters (AllowMissing) give their shapes; the
		// models get small nonzero values instead, so outputs depend on
		// the data.
		m0, err := executor.Bind(sym, nil, nil, shapes, executor.AllowMissing(), executor.WithMemoryLimit(16<<20))
		if err != nil || m0.PlanInfo().ArenaBytes > 4<<20 {
			return
		}
		args, aux := m0.GetParams()
		for _, ps := range []map[string]*tensor.Tensor{args, aux} {
			for name, p := range ps {
				if p.DType() != tensor.Float32 {
					continue
				}
				v := p.Float32s()
				for i := range v {
					v[i] = float32((i+len(name))%11-5) / 8
				}
			}
		}
		bind := func(threads int) *executor.Model {
			m, err := executor.Bind(sym, args, aux, shapes, executor.WithMemoryLimit(16<<20), executor.WithThreads(threads))
			if err != nil {
				return nil
			}
			return m
		}
		one, two := bind(1), bind(2)
		if one == nil || two == nil {
			return
		}
		x, err := tensor.New(tensor.Float32, dims...)
		if err != nil {
			return
		}
		for i := range x.Float32s() {
			x.Float32s()[i] = float32(i%7) - 3
		}
		in := []*tensor.Tensor{x}
		ctx := context.Background()
		a, errA := one.Predict(ctx, in, nil)
		b, errB := one.Predict(ctx, in, nil)
		c, errC := two.Predict(ctx, in, nil)
		if errA != nil || errB != nil || !sameBits(a, b) {
			return // not runnable, or not reproducible
		}
		if errC != nil {
			t.Fatalf("1 thread ran, 2 threads failed: %v", errC)
		}
		if !sameBits(a, c) {
			t.Fatalf("2 threads (batch split %d) differ from 1 thread", two.PlanInfo().BatchSplit)
		}
	})
}

// sameBits reports whether two output lists hold the same bits.
func sameBits(a, b []*tensor.Tensor) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].Bytes(), b[i].Bytes()) || !slices.Equal(a[i].Shape(), b[i].Shape()) {
			return false
		}
	}
	return true
}
