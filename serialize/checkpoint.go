package serialize

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/tensor"
)

// Checkpoint is a model as MXNet's load_checkpoint returns it: the symbol,
// the arguments (weights, biases) and the auxiliary states (BatchNorm moving
// statistics), keyed by plain names without the "arg:"/"aux:" prefixes.
type Checkpoint struct {
	Symbol *graph.Symbol
	Args   map[string]*tensor.Tensor
	Aux    map[string]*tensor.Tensor
}

// CheckpointPaths returns the two files of a checkpoint as MXNet names them:
// PREFIX-symbol.json and PREFIX-EEEE.params (epoch zero-padded to 4 digits).
func CheckpointPaths(prefix string, epoch int) (symbolPath, paramsPath string) {
	return prefix + "-symbol.json", fmt.Sprintf("%s-%04d.params", prefix, epoch)
}

// LoadCheckpoint reads PREFIX-symbol.json and PREFIX-EEEE.params, like
// mx.model.load_checkpoint(prefix, epoch). The parameters are streamed from
// the file straight into their tensors, so memory peaks at about the file's
// size. Both files are bounded by the Limits given with WithLimits
// (DefaultLimits otherwise).
func LoadCheckpoint(prefix string, epoch int, opts ...Option) (*Checkpoint, error) {
	return LoadCheckpointFS(osFS{}, filepath.ToSlash(prefix), epoch, opts...)
}

// osFS opens paths as given (fs.FS forbids absolute and ".." paths, which
// command-line prefixes often are).
type osFS struct{}

func (osFS) Open(name string) (fs.File, error) { return os.Open(filepath.FromSlash(name)) }

// LoadCheckpointFS is LoadCheckpoint on a file system (an embed.FS, a
// zip archive, testing/fstest.MapFS, ...).
func LoadCheckpointFS(fsys fs.FS, prefix string, epoch int, opts ...Option) (*Checkpoint, error) {
	o := buildOptions(opts)
	symPath, paramsPath := CheckpointPaths(path.Clean(prefix), epoch)
	sf, err := loadSymbolFS(fsys, symPath, o)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint: %w", err)
	}
	list, err := loadNDArraysFS(fsys, paramsPath, o)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint: %w", err)
	}
	args, aux, err := SplitParams(list)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint: %s: %w", paramsPath, err)
	}
	return &Checkpoint{Symbol: sf.Symbol, Args: args, Aux: aux}, nil
}

// loadSymbolFS reads and parses a symbol file within MaxSymbolBytes.
func loadSymbolFS(fsys fs.FS, name string, o *options) (*SymbolFile, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := readAllLimited(f, o.limits.MaxSymbolBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	sf, err := parseSymbol(data, o)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return sf, nil
}

// loadNDArraysFS streams an NDArray file from fsys into its tensors.
func loadNDArraysFS(fsys fs.FS, name string, o *options) (*NDArrayList, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	ra, _ := f.(io.ReaderAt)
	l, err := readNDArrays(f, size, ra, &budget{lim: o.limits})
	return l, withFile(err, name)
}

// readAllLimited reads r to the end, failing beyond max bytes. When r can
// tell its size (an fs.File), the buffer is allocated once at that size.
func readAllLimited(r io.Reader, max int64) ([]byte, error) {
	tooBig := func() error {
		return &SymbolError{Offset: int(max), Node: -1, Err: fmt.Errorf("file exceeds %d bytes (Limits.MaxSymbolBytes)", max)}
	}
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			if st.Size() > max {
				return nil, tooBig()
			}
			buf := make([]byte, st.Size())
			n, err := io.ReadFull(r, buf)
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return buf[:n], nil // the file shrank
			}
			if err != nil {
				return nil, err
			}
			// The file may have grown: read on, within the limit.
			rest, err := io.ReadAll(io.LimitReader(r, max-int64(n)+1))
			if err != nil {
				return nil, err
			}
			if int64(n+len(rest)) > max {
				return nil, tooBig()
			}
			return append(buf, rest...), nil
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, tooBig()
	}
	return data, nil
}

// LoadCheckpointFiles reads a checkpoint from a symbol file and a
// parameter file of any names (LoadCheckpoint with the two paths given).
func LoadCheckpointFiles(symbolPath, paramsPath string, opts ...Option) (*Checkpoint, error) {
	o := buildOptions(opts)
	sf, err := loadSymbolFS(osFS{}, filepath.ToSlash(symbolPath), o)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint: %w", err)
	}
	list, err := loadNDArraysFS(osFS{}, filepath.ToSlash(paramsPath), o)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint: %w", err)
	}
	args, aux, err := SplitParams(list)
	if err != nil {
		return nil, fmt.Errorf("load checkpoint: %s: %w", paramsPath, err)
	}
	return &Checkpoint{Symbol: sf.Symbol, Args: args, Aux: aux}, nil
}

// ParseCheckpoint builds a checkpoint from the bytes of its two files. The
// tensors are copied out of params.
func ParseCheckpoint(symbolJSON, params []byte, opts ...Option) (*Checkpoint, error) {
	o := buildOptions(opts)
	sf, err := parseSymbol(symbolJSON, o)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: symbol: %w", err)
	}
	pr := bytes.NewReader(params)
	list, err := readNDArrays(pr, int64(len(params)), pr, &budget{lim: o.limits})
	if err != nil {
		return nil, fmt.Errorf("checkpoint: params: %w", err)
	}
	args, aux, err := SplitParams(list)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: params: %w", err)
	}
	return &Checkpoint{Symbol: sf.Symbol, Args: args, Aux: aux}, nil
}

// SaveCheckpoint writes PREFIX-symbol.json and PREFIX-EEEE.params as
// mx.model.save_checkpoint does in MXNet 1.9.1: the symbol JSON (stamped
// 10901) and a V2 NDArray file of "arg:NAME" then "aux:NAME" entries. The
// order is the symbol's ListArguments then ListAuxiliaryStates (what
// Module.get_params yields), followed by any extra names in sorted order.
func SaveCheckpoint(prefix string, epoch int, ck *Checkpoint) error {
	symPath, paramsPath := CheckpointPaths(prefix, epoch)
	if err := SaveSymbol(symPath, ck.Symbol, nil); err != nil {
		return fmt.Errorf("save checkpoint: %w", err)
	}
	if err := SaveNDArrays(paramsPath, CheckpointParams(ck), FormatV2); err != nil {
		return fmt.Errorf("save checkpoint: %w", err)
	}
	return nil
}

// CheckpointParams returns the NDArray list SaveCheckpoint writes for ck.
func CheckpointParams(ck *Checkpoint) *NDArrayList {
	var names []string
	var ts []*tensor.Tensor
	add := func(prefix string, order []string, m map[string]*tensor.Tensor) {
		for _, n := range ordered(order, m) {
			names = append(names, prefix+n)
			ts = append(ts, m[n])
		}
	}
	var argOrder, auxOrder []string
	if ck.Symbol != nil {
		argOrder, auxOrder = ck.Symbol.ListArguments(), ck.Symbol.ListAuxiliaryStates()
	}
	add("arg:", argOrder, ck.Args)
	add("aux:", auxOrder, ck.Aux)
	return NewNDArrayList(names, ts)
}

// ordered returns the keys of m: those in order first (in that order),
// then the rest sorted.
func ordered(order []string, m map[string]*tensor.Tensor) []string {
	out := make([]string, 0, len(m))
	seen := make(map[string]bool, len(m))
	for _, n := range order {
		if _, ok := m[n]; ok && !seen[n] {
			out = append(out, n)
			seen[n] = true
		}
	}
	var rest []string
	for n := range m {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
