package serialize

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/tensor"
)

// NDArrayFormat is the container/record generation of an NDArray file.
type NDArrayFormat int

// The NDArray file formats. The first four are the MXNet list container
// (magic 0x112) with records of one generation; NPZ is MXNet 2.0's zip of
// .npy members (Gluon 2.0 save_parameters/export); NPY is a single .npy
// array; Pickle is a Python pickle of NDArrays (pkl.dumps, optimizer
// .states files; see ReadPickle).
const (
	FormatLegacy NDArrayFormat = iota
	FormatV1
	FormatV2
	FormatV3
	FormatNPZ
	FormatNPY
	FormatPickle
)

var formatNames = [...]string{"legacy", "v1", "v2", "v3", "npz", "npy", "pickle"}

// String returns "legacy", "v1", "v2", "v3", "npz", "npy" or "pickle".
func (f NDArrayFormat) String() string {
	if f >= 0 && int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("NDArrayFormat(%d)", int(f))
}

// ParseNDArrayFormat returns the format named s (as printed by String).
func ParseNDArrayFormat(s string) (NDArrayFormat, error) {
	for i, n := range formatNames {
		if strings.EqualFold(n, s) {
			return NDArrayFormat(i), nil
		}
	}
	return 0, fmt.Errorf("unknown NDArray format %s (want legacy, v1, v2, v3, npz, npy or pickle)", quote.String(s))
}

// recordGen maps a list-container format to its record generation.
func (f NDArrayFormat) recordGen() (ndarray.RecordGen, bool) {
	switch f {
	case FormatLegacy:
		return ndarray.RecordLegacy, true
	case FormatV1:
		return ndarray.RecordV1, true
	case FormatV2:
		return ndarray.RecordV2, true
	case FormatV3:
		return ndarray.RecordV3, true
	}
	return 0, false
}

func formatOfGen(g ndarray.RecordGen) NDArrayFormat {
	return NDArrayFormat(g) // the first four formats are numbered as the generations
}

// NDArray is one array of an NDArray file.
type NDArray struct {
	// Name is the array's key ("arg:fc1_weight"); "" in a list file.
	Name string
	// Tensor is the dense contents. It is nil for a none array and for a
	// sparse array (call Dense to densify one).
	Tensor *tensor.Tensor
	// rec is the array as it was read from a list file or pickle
	// (generation, storage type, sparse blocks, context). Writing in the
	// same generation reuses it while Tensor still is its data, so a
	// re-save is byte-exact. It is nil for arrays built in Go and for
	// npy/npz arrays.
	rec *ndarray.Record
}

// StorageType is an NDArray's storage type as MXNet saves it.
type StorageType int32

// The storage types an NDArray file can hold. Sparse arrays are kept in
// their sparse form (re-saved as read); Dense densifies them.
// The values are MXNet's storage type flags.
const (
	StorageDefault   StorageType = 0
	StorageRowSparse StorageType = 1
	StorageCSR       StorageType = 2
)

// String returns "default", "row_sparse" or "csr".
func (s StorageType) String() string { return ndarray.StorageType(s).String() }

// None reports whether a is a none (storage-less) array.
func (a *NDArray) None() bool {
	if a.rec != nil && a.Tensor == nil {
		return a.rec.None
	}
	return a.Tensor == nil
}

// Storage returns the array's storage type (default unless read sparse).
func (a *NDArray) Storage() StorageType {
	if a.Tensor == nil && a.rec != nil {
		return StorageType(a.rec.Storage)
	}
	return StorageDefault
}

// StoredBytes is the number of element bytes the array stores: the dense
// data, or for a sparse array its value and index blocks; 0 for a none
// array.
func (a *NDArray) StoredBytes() int {
	if a.Tensor != nil {
		return len(a.Tensor.Bytes())
	}
	if a.rec == nil || a.rec.None {
		return 0
	}
	n := len(a.rec.Data)
	for _, x := range a.rec.Aux {
		n += len(x.Data)
	}
	return n
}

// Cast converts the array's elements to dt in place: the dense tensor, or
// the value block of a sparse array, which keeps its sparse form and
// indices. None arrays are left as they are.
func (a *NDArray) Cast(dt tensor.DType) error {
	if a.Tensor != nil {
		if a.Tensor.DType() == dt {
			return nil
		}
		t, err := a.Tensor.AsType(dt)
		if err != nil {
			return fmt.Errorf("array %s: %w", quote.String(a.Name), err)
		}
		a.Tensor = t
		return nil
	}
	r := a.rec
	if r == nil || r.None || tensor.DType(r.DType) == dt {
		return nil
	}
	vals, err := tensor.FromBytes(tensor.DType(r.DType), r.StorageShape, r.Data)
	if err != nil {
		return fmt.Errorf("array %s: %w", quote.String(a.Name), err)
	}
	cast, err := vals.AsType(dt)
	if err != nil {
		return fmt.Errorf("array %s: %w", quote.String(a.Name), err)
	}
	c := *r
	c.DType, c.Data = ndarray.DType(dt), cast.Bytes()
	a.rec = &c
	return nil
}

// Dense returns the dense contents, densifying a sparse array; none arrays
// give an error.
func (a *NDArray) Dense() (*tensor.Tensor, error) {
	if a.Tensor != nil {
		return a.Tensor, nil
	}
	if a.rec == nil {
		return nil, fmt.Errorf("array %s is a none array", quote.String(a.Name))
	}
	t, err := denseTensor(a.rec)
	if err != nil {
		return nil, fmt.Errorf("array %s: %w", quote.String(a.Name), err)
	}
	return t, nil
}

// DType returns the element type, and false for a none array.
func (a *NDArray) DType() (tensor.DType, bool) {
	switch {
	case a.Tensor != nil:
		return a.Tensor.DType(), true
	case a.rec != nil && !a.rec.None:
		return tensor.DType(a.rec.DType), true
	}
	return 0, false
}

// Shape returns the logical shape, or nil for a none array.
func (a *NDArray) Shape() []int {
	switch {
	case a.Tensor != nil:
		return a.Tensor.Shape()
	case a.rec != nil && !a.rec.None:
		return append([]int{}, a.rec.Shape...)
	}
	return nil
}

// NDArrayList is the contents of an NDArray file: arrays in file order with
// their names (Named) or without (a list file).
type NDArrayList struct {
	// Format is the format the file was read in; WriteNDArrays takes the
	// output format separately.
	Format NDArrayFormat
	// Named is true for a dict file (names stored), false for a list file.
	Named  bool
	Arrays []NDArray
	// zip remembers which zip writer an npz came from (numpy or MXNet's
	// miniz) so that a re-save reproduces its layout.
	zip zipStyle
	// pickle is the value a pickle file decoded to, and pickleRefs its
	// arrays in the order of Arrays, so that writing a pickle back keeps
	// its structure (lists, tuples, dicts, None).
	pickle     any
	pickleRefs []*NDArray
}

// NewNDArrayList returns a list of the given tensors (format V2). With names
// nil it is a list file; otherwise names must have one entry per tensor. A
// nil tensor is a none array.
func NewNDArrayList(names []string, ts []*tensor.Tensor) *NDArrayList {
	l := &NDArrayList{Format: FormatV2, Named: names != nil, Arrays: make([]NDArray, len(ts))}
	for i, t := range ts {
		l.Arrays[i].Tensor = t
		if names != nil && i < len(names) {
			l.Arrays[i].Name = names[i]
		}
	}
	return l
}

// Names returns the array names in order ("" entries for a list file).
func (l *NDArrayList) Names() []string {
	out := make([]string, len(l.Arrays))
	for i, a := range l.Arrays {
		out[i] = a.Name
	}
	return out
}

// Get returns the array named name (the last one if names repeat, as MXNet's
// Python dict does), or nil.
func (l *NDArrayList) Get(name string) *NDArray {
	for i := len(l.Arrays) - 1; i >= 0; i-- {
		if l.Arrays[i].Name == name {
			return &l.Arrays[i]
		}
	}
	return nil
}

// FormatError is malformed NDArray/npy/npz input. Error() names the file (when
// known) and the byte offset of the problem.
type FormatError struct {
	File   string
	Offset int64
	Msg    string
	// Err is the underlying error when there is one to test for with
	// errors.As (a *PickleClassError); Msg already includes its text.
	Err error
}

// Unwrap returns Err.
func (e *FormatError) Unwrap() error { return e.Err }

// Error names the file (when known), the byte offset and the problem, as
// one line of at most 300 bytes without control characters (names from the
// file are quoted and truncated where the message is built).
func (e *FormatError) Error() string {
	if e.File != "" {
		return quote.Line(fmt.Sprintf("%s: offset %d: %s", e.File, e.Offset, e.Msg), maxErrorLine)
	}
	return quote.Line(fmt.Sprintf("offset %d: %s", e.Offset, e.Msg), maxErrorLine)
}

// maxErrorLine bounds the text of a FormatError or SymbolError.
const maxErrorLine = 300

// formatErr converts an ndarray.RecordError (or passes a FormatError through)
// and otherwise wraps err at offset off. The result is always a *FormatError.
func formatErr(err error, off int64) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		c := *fe
		return &c
	}
	var re *ndarray.RecordError
	if errors.As(err, &re) {
		return &FormatError{Offset: re.Offset, Msg: re.Msg}
	}
	return &FormatError{Offset: off, Msg: err.Error()}
}

// withFile fills File in a FormatError, or wraps another error with path.
func withFile(err error, path string) error {
	if err == nil {
		return nil
	}
	var fe *FormatError
	if errors.As(err, &fe) {
		c := *fe
		c.File = path
		return &c
	}
	return fmt.Errorf("%s: %w", path, err)
}

// denseTensor returns the dense contents of a record that is not none: a
// view of a dense record's data, or a densified sparse record.
func denseTensor(r *ndarray.Record) (*tensor.Tensor, error) {
	b, err := r.Densify()
	if err != nil {
		return nil, err
	}
	return tensor.FromBytes(tensor.DType(r.DType), r.Shape, b)
}

// newRecord returns the dense record of t in generation gen, sharing t's
// bytes.
func newRecord(t *tensor.Tensor, gen ndarray.RecordGen) *ndarray.Record {
	return ndarray.NewDense(gen, ndarray.DType(t.DType()), t.Shape(), t.Bytes())
}

// sharesData reports whether r still describes t exactly (same dtype, shape
// and backing bytes).
func sharesData(r *ndarray.Record, t *tensor.Tensor) bool {
	return t != nil && r.SharesData(ndarray.DType(t.DType()), t.Shape(), t.Bytes())
}
