package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// NamedArray is a named data or label source (MXNet's (name, array) pairs
// of DataIter.provide_data / provide_label).
type NamedArray struct {
	// Name is the input name, e.g. "data" or "softmax_label".
	Name string
	// Array holds all samples along axis 0.
	Array *tensor.Tensor
}

// DataDesc describes one input of a batch (MXNet's DataDesc with layout
// NCHW: the batch axis is 0).
type DataDesc struct {
	// Name is the input name.
	Name string
	// Shape is the batch shape (batch size first).
	Shape []int
	// DType is the element type.
	DType tensor.DType
}

// DataBatch is one batch (MXNet's DataBatch). Its arrays are owned by the
// iterator and overwritten by the next call to Next.
type DataBatch struct {
	// Data are the data arrays in ProvideData order.
	Data []*tensor.Tensor
	// Label are the label arrays in ProvideLabel order.
	Label []*tensor.Tensor
	// Pad is the number of samples at the end of the batch that are
	// padding (or, for roll_over, MXNet's pad of the rolled-over batch).
	Pad int
}

// DataIter yields batches, as MXNet's DataIter.
type DataIter interface {
	// Next advances to the next batch and reports whether there is one.
	Next() (*DataBatch, bool)
	// Reset starts a new epoch.
	Reset()
	// BatchSize returns the batch size.
	BatchSize() int
	// ProvideData describes the data arrays of a batch.
	ProvideData() []DataDesc
	// ProvideLabel describes the label arrays of a batch.
	ProvideLabel() []DataDesc
}

// LastBatch is NDArrayIter's last_batch_handle.
type LastBatch string

// The last_batch_handle values of MXNet's NDArrayIter.
const (
	// Pad fills the last batch with samples from the start (Pad counts
	// them).
	Pad LastBatch = "pad"
	// Discard drops an incomplete last batch.
	Discard LastBatch = "discard"
	// RollOver keeps an incomplete last batch and completes it with the
	// first samples of the next epoch.
	RollOver LastBatch = "roll_over"
)

// IterOptions configure an NDArrayIter.
type IterOptions struct {
	// BatchSize is the number of samples per batch (> 0).
	BatchSize int
	// Shuffle permutes the samples at construction and at every Reset,
	// as MXNet does; the permutation comes from a PCG generator seeded by
	// Seed, so it differs from MXNet's numpy stream.
	Shuffle bool
	// Seed seeds the shuffle.
	Seed uint64
	// LastBatchHandle is Pad (default when empty), Discard or RollOver.
	LastBatchHandle LastBatch
	// NumClasses, when positive, requires every label to be an integer
	// in [0, NumClasses).
	NumClasses int
}

// NDArrayIter iterates over in-memory arrays with MXNet 1.9.1's
// io.NDArrayIter semantics: batch cursor, shuffling, last_batch_handle
// pad/discard/roll_over and the batch's pad count. Batches are copied into
// buffers reused across calls (no allocation per batch).
type NDArrayIter struct {
	data, label []NamedArray
	src         []*tensor.Tensor // data then label
	rowBytes    []int
	bs          int
	num         int
	last        LastBatch
	shuffle     bool
	rng         *rand.Rand
	perm        []int

	cursor int
	// cache holds the incomplete last batch (rows of the previous
	// epoch's order, as indices into src) for roll_over.
	cache    []int
	hasCache bool
	rows     []int // scratch: source rows of the batch being built
	bufs     []*tensor.Tensor
	batch    DataBatch
}

// NewNDArrayIter returns an iterator over data and label sources (label may
// be empty). Every source must have the same number of samples (axis 0);
// float data must not hold NaN or infinities; with NumClasses labels must be
// class indices in range.
func NewNDArrayIter(data, label []NamedArray, o IterOptions) (*NDArrayIter, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("train: NDArrayIter needs at least one data array")
	}
	if o.BatchSize <= 0 {
		return nil, fmt.Errorf("train: NDArrayIter batch size %d must be positive", o.BatchSize)
	}
	switch o.LastBatchHandle {
	case "":
		o.LastBatchHandle = Pad
	case Pad, Discard, RollOver:
	default:
		return nil, fmt.Errorf("train: last_batch_handle %q: want pad, discard or roll_over", o.LastBatchHandle)
	}
	it := &NDArrayIter{data: data, label: label, bs: o.BatchSize, last: o.LastBatchHandle, shuffle: o.Shuffle,
		rng: rand.New(rand.NewPCG(o.Seed, 0x6e646974))}
	seen := map[string]bool{}
	for k, na := range append(append([]NamedArray(nil), data...), label...) {
		if na.Array == nil || na.Array.NDim() == 0 {
			return nil, fmt.Errorf("train: NDArrayIter input %q needs an array with a batch axis", na.Name)
		}
		if seen[na.Name] {
			return nil, fmt.Errorf("train: NDArrayIter input name %q is used twice", na.Name)
		}
		seen[na.Name] = true
		n := na.Array.Dim(0)
		if k == 0 {
			it.num = n
		} else if n != it.num {
			return nil, fmt.Errorf("train: NDArrayIter: %q has %d samples but %q has %d", na.Name, n, data[0].Name, it.num)
		}
		isLabel := k >= len(data)
		if err := checkValues(na, isLabel, o.NumClasses); err != nil {
			return nil, err
		}
		it.src = append(it.src, na.Array)
		rb := 0
		if n > 0 {
			rb = len(na.Array.Bytes()) / n
		}
		it.rowBytes = append(it.rowBytes, rb)
		shape := na.Array.Shape()
		shape[0] = o.BatchSize
		buf, err := tensor.New(na.Array.DType(), shape...)
		if err != nil {
			return nil, fmt.Errorf("train: NDArrayIter batch of %q: %w", na.Name, err)
		}
		it.bufs = append(it.bufs, buf)
	}
	if it.num == 0 {
		return nil, fmt.Errorf("train: NDArrayIter: no samples")
	}
	it.perm = make([]int, it.num)
	for i := range it.perm {
		it.perm[i] = i
	}
	it.rows = make([]int, 0, 2*o.BatchSize)
	it.cache = make([]int, 0, o.BatchSize)
	it.batch.Data = it.bufs[:len(data):len(data)]
	it.batch.Label = it.bufs[len(data):]
	it.cursor = -it.bs
	it.Reset()
	return it, nil
}

func checkValues(na NamedArray, isLabel bool, numClasses int) error {
	a := na.Array
	if a.DType().IsFloat() {
		for i := range a.Len() {
			if v := a.Float64At(i); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("train: input %q: element %d is %v", na.Name, i, v)
			}
		}
	}
	if isLabel && numClasses > 0 {
		for i := range a.Len() {
			v := a.Float64At(i)
			if v != math.Trunc(v) || v < 0 || v >= float64(numClasses) {
				return fmt.Errorf("train: label %q: sample %d has label %v, not a class in [0, %d)", na.Name, i, v, numClasses)
			}
		}
	}
	return nil
}

// BatchSize implements DataIter.
func (it *NDArrayIter) BatchSize() int { return it.bs }

// NumData returns the number of samples.
func (it *NDArrayIter) NumData() int { return it.num }

func (it *NDArrayIter) descs(src []NamedArray) []DataDesc {
	out := make([]DataDesc, len(src))
	for i, na := range src {
		s := na.Array.Shape()
		s[0] = it.bs
		out[i] = DataDesc{Name: na.Name, Shape: s, DType: na.Array.DType()}
	}
	return out
}

// ProvideData implements DataIter.
func (it *NDArrayIter) ProvideData() []DataDesc { return it.descs(it.data) }

// ProvideLabel implements DataIter.
func (it *NDArrayIter) ProvideLabel() []DataDesc { return it.descs(it.label) }

// Reset implements DataIter (MXNet's NDArrayIter.reset): reshuffles when
// shuffling, and with roll_over moves the cursor so that the cached
// incomplete batch is completed by the first samples of the new epoch.
func (it *NDArrayIter) Reset() {
	if it.shuffle {
		it.rng.Shuffle(len(it.perm), func(i, j int) { it.perm[i], it.perm[j] = it.perm[j], it.perm[i] })
	}
	if it.last == RollOver && it.num-it.bs < it.cursor && it.cursor < it.num {
		it.cursor = it.cursor - it.num - it.bs
	} else {
		it.cursor = -it.bs
	}
}

// HardReset starts again from the first sample, dropping any rolled-over
// samples (MXNet's hard_reset).
func (it *NDArrayIter) HardReset() {
	if it.shuffle {
		it.rng.Shuffle(len(it.perm), func(i, j int) { it.perm[i], it.perm[j] = it.perm[j], it.perm[i] })
	}
	it.cursor = -it.bs
	it.hasCache = false
	it.cache = it.cache[:0]
}

// appendRange appends the sample indices of Python's idx[start:end].
func (it *NDArrayIter) appendRange(rows []int, start, end int) []int {
	end = min(end, it.num)
	for i := max(start, 0); i < end; i++ {
		rows = append(rows, it.perm[i])
	}
	return rows
}

// Next implements DataIter.
func (it *NDArrayIter) Next() (*DataBatch, bool) {
	it.cursor += it.bs
	if it.cursor >= it.num {
		return nil, false
	}
	rows := it.rows[:0]
	pad := 0
	switch {
	case it.last == RollOver && -it.bs < it.cursor && it.cursor < 0:
		if it.hasCache {
			rows = append(rows, it.cache...)
			it.hasCache = false
		}
		rows = it.appendRange(rows, 0, it.cursor+it.bs)
		pad = -it.cursor
	case it.last == Pad && it.cursor+it.bs > it.num:
		p := it.bs - it.num + it.cursor
		rows = it.appendRange(rows, it.cursor, it.num)
		for range p / it.num {
			rows = it.appendRange(rows, 0, it.num)
		}
		rows = it.appendRange(rows, 0, p%it.num)
		pad = it.cursor + it.bs - it.num
	default:
		rows = it.appendRange(rows, it.cursor, it.cursor+it.bs)
	}
	it.rows = rows
	if len(rows) != it.bs {
		// Incomplete: cache it for the next epoch and stop.
		it.cache = append(it.cache[:0], rows...)
		it.hasCache = true
		return nil, false
	}
	for k, src := range it.src {
		rb := it.rowBytes[k]
		sb, db := src.Bytes(), it.bufs[k].Bytes()
		for i, r := range rows {
			copy(db[i*rb:(i+1)*rb], sb[r*rb:(r+1)*rb])
		}
	}
	it.batch.Pad = pad
	return &it.batch, true
}

// ReadNPYFile reads a .npy file.
func ReadNPYFile(path string) (*tensor.Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	defer f.Close()
	t, err := serialize.ReadNPY(f)
	if err != nil {
		return nil, fmt.Errorf("train: %s: %w", path, err)
	}
	return t, nil
}

// ReadNPZFile reads every member of an .npz file, in archive order.
func ReadNPZFile(path string) ([]NamedArray, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	names, ts, err := serialize.ReadNPZ(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("train: %s: %w", path, err)
	}
	out := make([]NamedArray, len(names))
	for i := range names {
		out[i] = NamedArray{Name: names[i], Array: ts[i]}
	}
	return out, nil
}

// ReadNPZDataset reads an .npz file with members "data" and "label" (other
// members are an error) and checks that they hold the same number of
// samples.
func ReadNPZDataset(path string) (data, label *tensor.Tensor, err error) {
	arrs, err := ReadNPZFile(path)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range arrs {
		switch a.Name {
		case "data":
			data = a.Array
		case "label":
			label = a.Array
		default:
			return nil, nil, fmt.Errorf("train: %s: unexpected member %q (want data and label)", path, a.Name)
		}
	}
	if data == nil || label == nil {
		return nil, nil, fmt.Errorf("train: %s: needs members \"data\" and \"label\"", path)
	}
	if data.NDim() == 0 || label.NDim() == 0 || data.Dim(0) != label.Dim(0) {
		return nil, nil, fmt.Errorf("train: %s: data %s and label %s do not have the same number of samples", path, data, label)
	}
	return data, label, nil
}
