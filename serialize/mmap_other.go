//go:build !unix

package serialize

import (
	"io"
	"os"
)

// MapNDArrays reads the NDArray file at path into memory and decodes it in
// place (this system has no mmap support in mxgo). The Closer releases
// nothing; it exists so callers can treat every system alike.
func MapNDArrays(path string, opts ...Option) (*NDArrayList, io.Closer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	l, err := ParseNDArrays(b, opts...)
	if err != nil {
		return nil, nil, withFile(err, path)
	}
	return l, nopCloser{}, nil
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
