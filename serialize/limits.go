package serialize

import (
	"fmt"
	"io"
)

// Limits bounds what a reader accepts from an untrusted file, so that a
// small or malformed file fails with a *FormatError (or *SymbolError)
// instead of exhausting memory. A zero field means "use the default"; a
// negative field means "no limit". Every reader takes a WithLimits option;
// without one it uses DefaultLimits.
//
// The defaults load every MXNet model zoo checkpoint and every file MXNet
// 1.x/2.0 writes in normal use, while keeping a hostile file of a few
// megabytes below a few hundred megabytes of memory. Raise a limit for a
// genuinely larger model; do not disable them for files you do not trust.
type Limits struct {
	// MaxFileBytes bounds the bytes read from one file or stream (the
	// compressed size for an npz). Default 16 GiB: larger than any published
	// MXNet checkpoint (the biggest model-zoo .params are about 1 GiB).
	MaxFileBytes int64
	// MaxArrays bounds the number of arrays in an NDArray file or npz.
	// Default 1<<20: a ResNet-152 checkpoint holds about 1,000.
	MaxArrays int
	// MaxElements bounds the elements of one array, dense or the logical
	// (densified) shape of a sparse one. Default 1<<31-1, MXNet 1.x's own
	// limit: its pip builds index tensors with int32 unless built with
	// USE_INT64_TENSOR_SIZE.
	MaxElements int64
	// MaxTotalBytes bounds the sum of the decoded (dense, inflated) bytes of
	// all arrays of one file. Default 16 GiB, as MaxFileBytes.
	MaxTotalBytes int64
	// MaxInflateRatio bounds how much larger decoded data may be than the
	// stored bytes it comes from, beyond an allowance of InflateAllowance:
	// decoded ≤ InflateAllowance + MaxInflateRatio × stored. It applies to
	// the deflated members of an npz (all together) and to each sparse
	// array's dense form (against its stored values and indices). Default
	// 32: random-valued float weights deflate by less than 2:1, and a
	// sparse .params saved by MXNet stores most rows; a 4 MB hostile file
	// then decodes to at most 192 MiB. Raise it for mostly-zero archives or
	// very sparse arrays.
	MaxInflateRatio int64
	// InflateAllowance is the decoded size every file may reach whatever
	// its ratio (zero biases and small constant arrays deflate ~1000:1).
	// Default 64 MiB.
	InflateAllowance int64
	// MaxNameBytes bounds an array name, an npz member name, a symbol node
	// name or an attribute key. Default 4096: MXNet and Gluon names are
	// dotted or underscored paths of well under 256 bytes.
	MaxNameBytes int
	// MaxAttrBytes bounds one symbol attribute value. Default 64 KiB: the
	// longest MXNet attribute values are shape and anchor tuples of a few
	// hundred bytes.
	MaxAttrBytes int
	// MaxSymbolBytes bounds a symbol JSON file. Default 64 MiB: a 100,000
	// node symbol takes about 10 MB.
	MaxSymbolBytes int64
	// MaxNodes bounds the nodes of a symbol, subgraphs included. Default
	// 100,000: ten times the largest exported MXNet graphs (BERT-large and
	// unrolled LSTMs have a few thousand to 10,000 nodes).
	MaxNodes int
	// MaxOutputsPerNode bounds the outputs of one node (SliceChannel's
	// num_outputs, node_row_ptr counts, output indices used). Default 4096.
	MaxOutputsPerNode int
	// MaxOutputs bounds the outputs of all nodes together. Default 1<<20.
	MaxOutputs int
}

// DefaultLimits returns the limits readers use when given none; see Limits
// for each default and its reason.
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes:      16 << 30,
		MaxArrays:         1 << 20,
		MaxElements:       1<<31 - 1,
		MaxTotalBytes:     16 << 30,
		MaxInflateRatio:   32,
		InflateAllowance:  64 << 20,
		MaxNameBytes:      4096,
		MaxAttrBytes:      64 << 10,
		MaxSymbolBytes:    64 << 20,
		MaxNodes:          100_000,
		MaxOutputsPerNode: 4096,
		MaxOutputs:        1 << 20,
	}
}

// NoLimits returns limits that accept anything the formats can express
// (bounded only by overflow checks). Use it only for trusted files.
func NoLimits() Limits {
	return Limits{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}
}

// resolved fills zero fields with the defaults and turns negative ones into
// the largest value of their type.
func (l Limits) resolved() Limits {
	d := DefaultLimits()
	i64 := func(v *int64, def int64) {
		switch {
		case *v == 0:
			*v = def
		case *v < 0:
			*v = 1<<63 - 1
		}
	}
	in := func(v *int, def int) {
		switch {
		case *v == 0:
			*v = def
		case *v < 0:
			*v = int(^uint(0) >> 1)
		}
	}
	i64(&l.MaxFileBytes, d.MaxFileBytes)
	in(&l.MaxArrays, d.MaxArrays)
	i64(&l.MaxElements, d.MaxElements)
	i64(&l.MaxTotalBytes, d.MaxTotalBytes)
	i64(&l.MaxInflateRatio, d.MaxInflateRatio)
	i64(&l.InflateAllowance, d.InflateAllowance)
	in(&l.MaxNameBytes, d.MaxNameBytes)
	in(&l.MaxAttrBytes, d.MaxAttrBytes)
	i64(&l.MaxSymbolBytes, d.MaxSymbolBytes)
	in(&l.MaxNodes, d.MaxNodes)
	in(&l.MaxOutputsPerNode, d.MaxOutputsPerNode)
	in(&l.MaxOutputs, d.MaxOutputs)
	return l
}

// inflateOK reports whether decoded bytes from stored bytes are within the
// ratio (overflow-safe).
func (l *Limits) inflateOK(decoded, stored int64) bool {
	if decoded <= l.InflateAllowance {
		return true
	}
	if stored <= 0 {
		return false
	}
	excess := decoded - l.InflateAllowance
	q, r := excess/stored, excess%stored
	return q < l.MaxInflateRatio || (q == l.MaxInflateRatio && r == 0)
}

// Option configures a reader.
type Option func(*options)

type options struct {
	limits Limits
}

// WithLimits sets the limits a reader enforces (zero fields keep their
// defaults).
func WithLimits(l Limits) Option { return func(o *options) { o.limits = l } }

func buildOptions(opts []Option) *options {
	o := &options{}
	for _, f := range opts {
		if f != nil {
			f(o)
		}
	}
	o.limits = o.limits.resolved()
	return o
}

// budget tracks one file's decoded bytes against the limits.
type budget struct {
	lim     Limits
	decoded int64
}

func newBudget(opts []Option) *budget { return &budget{lim: buildOptions(opts).limits} }

// charge checks an array's element count against MaxElements and charges its
// bytes to the file's decoded total (MaxTotalBytes).
func (b *budget) charge(n, bytes int64) error {
	if n > b.lim.MaxElements {
		return fmt.Errorf("array of %d elements exceeds the limit of %d (Limits.MaxElements)", n, b.lim.MaxElements)
	}
	if bytes > b.lim.MaxTotalBytes-b.decoded {
		return fmt.Errorf("decoded data would exceed %d bytes (Limits.MaxTotalBytes)", b.lim.MaxTotalBytes)
	}
	b.decoded += bytes
	return nil
}

// limitedReader fails with a clear error once more than n bytes are read.
type limitedReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// Allow a probe read to see EOF exactly at the limit.
		var one [1]byte
		m, err := l.r.Read(one[:])
		if m > 0 {
			return 0, fmt.Errorf("input exceeds %d bytes (Limits.MaxFileBytes)", l.max)
		}
		return 0, err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	m, err := l.r.Read(p)
	l.n -= int64(m)
	return m, err
}
