//go:build unix

package serialize

import (
	"fmt"
	"io"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// MapNDArrays memory-maps the NDArray file at path read-only and decodes it
// in place: the tensors alias the mapping (no copy), so they must not be
// written to and must not be used after the returned Closer is closed. This
// is the fast path for large checkpoints. On systems without mmap the file
// is read into memory instead.
func MapNDArrays(path string, opts ...Option) (*NDArrayList, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := st.Size()
	if size == 0 {
		l, err := ParseNDArrays(nil, opts...)
		return l, nopCloser{}, withFile(err, path)
	}
	if lim := buildOptions(opts).limits; size > lim.MaxFileBytes {
		return nil, nil, withFile(&FormatError{Msg: fmt.Sprintf("file of %d bytes exceeds the limit of %d (Limits.MaxFileBytes)", size, lim.MaxFileBytes)}, path)
	}
	if int64(int(size)) != size {
		return nil, nil, fmt.Errorf("%s: %d bytes is too large to map", path, size)
	}
	b, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: mmap: %w", path, err)
	}
	m := &mapping{b: b}
	l, err := ParseNDArrays(b, opts...)
	if err != nil {
		m.Close()
		return nil, nil, withFile(err, path)
	}
	return l, m, nil
}

// mapping unmaps a file mapping once.
type mapping struct {
	once sync.Once
	b    []byte
	err  error
}

func (m *mapping) Close() error {
	m.once.Do(func() { m.err = unix.Munmap(m.b) })
	return m.err
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
