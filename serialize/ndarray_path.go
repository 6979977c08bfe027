package serialize

import (
	"bufio"
	"fmt"
	"os"
)

// LoadNDArrays reads the NDArray file at path (any format ReadNDArrays
// accepts). Format errors name the file.
func LoadNDArrays(path string) (*NDArrayList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := ReadNDArrays(f)
	return l, withFile(err, path)
}

// SaveNDArrays writes l to path in format (see WriteNDArrays). On error the
// partial file is removed.
func SaveNDArrays(path string, l *NDArrayList, format NDArrayFormat) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := WriteNDArrays(bw, l, format); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return bw.Flush()
}
