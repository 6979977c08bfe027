package serialize

import (
	"bufio"
	"fmt"
	"os"

	"github.com/mxgo/mxgo/tensor"
)

// LoadNDArrays reads the NDArray file at path (any format ReadNDArrays
// accepts) with the given options. Errors name the file.
func LoadNDArrays(path string, opts ...Option) (*NDArrayList, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	l, err := ReadNDArrays(f, opts...)
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

// LoadNPY reads the .npy file at path (see ReadNPY). Errors name the file.
func LoadNPY(path string, opts ...Option) (*tensor.Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := ReadNPY(f, opts...)
	return t, withFile(err, path)
}

// SaveNPY writes t to path as numpy's np.save would (see WriteNPY). On
// error the partial file is removed.
func SaveNPY(path string, t *tensor.Tensor) (err error) {
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
	if err := WriteNPY(bw, t); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return bw.Flush()
}
