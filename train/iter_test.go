package train

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

func seqData(t *testing.T, n int) (data, label *tensor.Tensor) {
	t.Helper()
	d := make([]float32, 2*n)
	l := make([]float32, n)
	for i := range n {
		d[2*i], d[2*i+1] = float32(i), float32(100+i)
		l[i] = float32(i % 10)
	}
	data, _ = tensor.FromSlice(d, n, 2)
	label, _ = tensor.FromSlice(l, n)
	return data, label
}

// epoch returns the sample ids (data[:,0]) and pads of one epoch, checking
// that labels and the second data column travel with their row.
func epoch(t *testing.T, it *NDArrayIter) (ids [][]int, pads []int) {
	t.Helper()
	for {
		b, ok := it.Next()
		if !ok {
			return ids, pads
		}
		d, l := b.Data[0].Float32s(), b.Label[0].Float32s()
		var row []int
		for i := range it.BatchSize() {
			id := int(d[2*i])
			if d[2*i+1] != float32(100+id) || l[i] != float32(id%10) {
				t.Fatalf("row %d of batch misaligned: %v %v %v", i, d[2*i], d[2*i+1], l[i])
			}
			row = append(row, id)
		}
		ids = append(ids, row)
		pads = append(pads, b.Pad)
	}
}

func TestNDArrayIterLastBatch(t *testing.T) {
	data, label := seqData(t, 10)
	mk := func(h LastBatch, bs int) *NDArrayIter {
		it, err := NewNDArrayIter([]NamedArray{{"data", data}}, []NamedArray{{"softmax_label", label}}, IterOptions{BatchSize: bs, LastBatchHandle: h})
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	type ep struct {
		ids  [][]int
		pads []int
	}
	// Expected epochs derived by hand from MXNet 1.9.1's NDArrayIter
	// (cursor, _batchify, getpad, reset).
	for _, c := range []struct {
		h    LastBatch
		want []ep
	}{
		{Pad, []ep{
			{[][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 0, 1}}, []int{0, 0, 0, 2}},
			{[][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 0, 1}}, []int{0, 0, 0, 2}},
		}},
		{Discard, []ep{
			{[][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}, []int{0, 0, 0}},
			{[][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}, []int{0, 0, 0}},
		}},
		{RollOver, []ep{
			{[][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}, []int{0, 0, 0}},
			{[][]int{{9, 0, 1}, {2, 3, 4}, {5, 6, 7}}, []int{1, 0, 0}},
			{[][]int{{8, 9, 0}, {1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, []int{2, 0, 0, 0}},
			{[][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}, []int{0, 0, 0}},
		}},
	} {
		it := mk(c.h, 3)
		for e, w := range c.want {
			ids, pads := epoch(t, it)
			if !reflect.DeepEqual(ids, w.ids) || !reflect.DeepEqual(pads, w.pads) {
				t.Errorf("%s epoch %d: %v pads %v, want %v pads %v", c.h, e+1, ids, pads, w.ids, w.pads)
			}
			it.Reset()
		}
	}
	// Batch larger than the data: pad tiles the data.
	small, sl := seqData(t, 2)
	it, err := NewNDArrayIter([]NamedArray{{"data", small}}, []NamedArray{{"l", sl}}, IterOptions{BatchSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	ids, pads := epoch(t, it)
	if !reflect.DeepEqual(ids, [][]int{{0, 1, 0, 1, 0}}) || pads[0] != 3 {
		t.Errorf("tiled pad: %v %v", ids, pads)
	}
	if d := it.ProvideData(); d[0].Name != "data" || !slices.Equal(d[0].Shape, []int{5, 2}) {
		t.Errorf("ProvideData %+v", d)
	}
}

func TestNDArrayIterShuffle(t *testing.T) {
	data, label := seqData(t, 12)
	mk := func(seed uint64) *NDArrayIter {
		it, err := NewNDArrayIter([]NamedArray{{"data", data}}, []NamedArray{{"softmax_label", label}},
			IterOptions{BatchSize: 4, Shuffle: true, Seed: seed, LastBatchHandle: Discard})
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	a, b := mk(5), mk(5)
	var prev []int
	for e := range 3 {
		ia, _ := epoch(t, a)
		ib, _ := epoch(t, b)
		if !reflect.DeepEqual(ia, ib) {
			t.Fatal("same seed, different order")
		}
		flat := slices.Concat(ia...)
		sorted := slices.Sorted(slices.Values(flat))
		if !reflect.DeepEqual(sorted, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}) {
			t.Fatalf("epoch %d is not a permutation: %v", e, flat)
		}
		if slices.Equal(flat, prev) {
			t.Errorf("epoch %d repeats the previous order", e)
		}
		prev = flat
		a.Reset()
		b.Reset()
	}
}

func TestNDArrayIterBadInput(t *testing.T) {
	data, label := seqData(t, 10)
	short, _ := seqData(t, 9)
	nan := data.Clone()
	nan.Float32s()[3] = float32(math.NaN())
	for name, c := range map[string]struct {
		d, l []NamedArray
		o    IterOptions
	}{
		"count":   {[]NamedArray{{"data", data}}, []NamedArray{{"l", short}}, IterOptions{BatchSize: 2}},
		"nan":     {[]NamedArray{{"data", nan}}, []NamedArray{{"l", label}}, IterOptions{BatchSize: 2}},
		"classes": {[]NamedArray{{"data", data}}, []NamedArray{{"l", label}}, IterOptions{BatchSize: 2, NumClasses: 9}},
		"batch":   {[]NamedArray{{"data", data}}, nil, IterOptions{}},
		"handle":  {[]NamedArray{{"data", data}}, nil, IterOptions{BatchSize: 2, LastBatchHandle: "wrap"}},
		"dup":     {[]NamedArray{{"data", data}}, []NamedArray{{"data", label}}, IterOptions{BatchSize: 2}},
		"none":    {nil, nil, IterOptions{BatchSize: 2}},
	} {
		if _, err := NewNDArrayIter(c.d, c.l, c.o); err == nil {
			t.Errorf("%s: accepted", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	if _, err := NewNDArrayIter([]NamedArray{{"data", data}}, []NamedArray{{"l", label}}, IterOptions{BatchSize: 2, NumClasses: 10}); err != nil {
		t.Errorf("valid labels rejected: %v", err)
	}
}

func TestReadNPZDataset(t *testing.T) {
	dir := t.TempDir()
	data, label := seqData(t, 6)
	write := func(name string, names []string, ts []*tensor.Tensor) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := serialize.WriteNPZ(f, names, ts); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return p
	}
	p := write("ok.npz", []string{"data", "label"}, []*tensor.Tensor{data, label})
	d, l, err := ReadNPZDataset(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Bytes()) != string(data.Bytes()) || string(l.Bytes()) != string(label.Bytes()) {
		t.Error("npz round trip differs")
	}
	short, _ := seqData(t, 5)
	for i, c := range []struct {
		names []string
		ts    []*tensor.Tensor
	}{
		{[]string{"data"}, []*tensor.Tensor{data}},
		{[]string{"data", "label"}, []*tensor.Tensor{data, short}},
		{[]string{"data", "label", "x"}, []*tensor.Tensor{data, label, label}},
	} {
		if _, _, err := ReadNPZDataset(write(fmt.Sprintf("bad%d.npz", i), c.names, c.ts)); err == nil {
			t.Errorf("bad npz %v accepted", c.names)
		}
	}
	np := filepath.Join(dir, "x.npy")
	f, _ := os.Create(np)
	_ = serialize.WriteNPY(f, data)
	f.Close()
	if got, err := ReadNPYFile(np); err != nil || string(got.Bytes()) != string(data.Bytes()) {
		t.Errorf("npy: %v", err)
	}
}

func TestNDArrayIterNoAllocs(t *testing.T) {
	data, label := seqData(t, 1000)
	it, _ := NewNDArrayIter([]NamedArray{{"data", data}}, []NamedArray{{"l", label}}, IterOptions{BatchSize: 32, Shuffle: true})
	allocs := testing.AllocsPerRun(5, func() {
		for {
			if _, ok := it.Next(); !ok {
				break
			}
		}
		it.Reset()
	})
	if allocs > 1 { // Shuffle's closure may allocate once per epoch
		t.Errorf("%v allocations per epoch", allocs)
	}
}
