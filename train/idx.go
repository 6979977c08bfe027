package train

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/mxgo/mxgo/tensor"
)

// idxTypes maps IDX type codes to tensor dtypes.
var idxTypes = map[byte]tensor.DType{
	0x08: tensor.Uint8,
	0x09: tensor.Int8,
	0x0B: tensor.Int16,
	0x0C: tensor.Int32,
	0x0D: tensor.Float32,
	0x0E: tensor.Float64,
}

// MaxIDXBytes bounds the element bytes an IDX file may declare (4 GiB), so
// that a small gzipped file cannot expand into an arbitrary allocation.
const MaxIDXBytes = 4 << 30

// ReadIDX reads an IDX file (the MNIST / Fashion-MNIST format: magic
// 0x00 0x00 type ndim, big-endian int32 dims, big-endian elements), gzipped
// or not (detected from the gzip magic). The tensor has the file's element
// type (uint8 for MNIST images and labels). Truncated files, trailing data,
// unknown types and shapes over MaxIDXBytes are errors.
func ReadIDX(r io.Reader) (*tensor.Tensor, error) {
	br := bufio.NewReader(r)
	if m, err := br.Peek(2); err == nil && m[0] == 0x1f && m[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("idx: gzip: %w", err)
		}
		defer zr.Close()
		return readIDX(zr)
	}
	return readIDX(br)
}

func readIDX(r io.Reader) (*tensor.Tensor, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, fmt.Errorf("idx: header: %w", truncated(err))
	}
	if hdr[0] != 0 || hdr[1] != 0 {
		return nil, fmt.Errorf("idx: bad magic % x (want 00 00 type ndim)", hdr)
	}
	dt, ok := idxTypes[hdr[2]]
	if !ok {
		return nil, fmt.Errorf("idx: unknown element type 0x%02x", hdr[2])
	}
	nd := int(hdr[3])
	if nd == 0 || nd > tensor.MaxNDim {
		return nil, fmt.Errorf("idx: %d dimensions (want 1..%d)", nd, tensor.MaxNDim)
	}
	dimb := make([]byte, 4*nd)
	if _, err := io.ReadFull(r, dimb); err != nil {
		return nil, fmt.Errorf("idx: dimensions: %w", truncated(err))
	}
	shape := make([]int, nd)
	for i := range shape {
		d := binary.BigEndian.Uint32(dimb[4*i:])
		if d > math.MaxInt32 {
			return nil, fmt.Errorf("idx: dimension %d is %d", i, d)
		}
		shape[i] = int(d)
	}
	n, err := tensor.NumElements(shape, dt.Size())
	if err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	need := int64(n) * int64(dt.Size())
	if need > MaxIDXBytes {
		return nil, fmt.Errorf("idx: %s %s declares %d bytes, more than the %d allowed", dt, tensor.ShapeString(shape), need, int64(MaxIDXBytes))
	}
	// Read what is there (bounded by the declared size plus one byte), so
	// a header claiming a huge shape cannot force a huge allocation.
	b, err := io.ReadAll(io.LimitReader(r, need+1))
	if err != nil {
		return nil, fmt.Errorf("idx: data: %w", err)
	}
	if int64(len(b)) < need {
		return nil, fmt.Errorf("idx: truncated: %s %s needs %d data bytes, file has %d", dt, tensor.ShapeString(shape), need, len(b))
	}
	if int64(len(b)) > need {
		return nil, fmt.Errorf("idx: trailing data after %s %s", dt, tensor.ShapeString(shape))
	}
	t, err := tensor.New(dt, shape...)
	if err != nil {
		return nil, fmt.Errorf("idx: %w", err)
	}
	out := t.Bytes()
	sz := dt.Size()
	if sz == 1 {
		copy(out, b)
		return t, nil
	}
	for i := 0; i < len(b); i += sz {
		for j := range sz {
			out[i+j] = b[i+sz-1-j]
		}
	}
	return t, nil
}

func truncated(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("truncated file")
	}
	return err
}

// ReadIDXFile reads an IDX file (gzipped or not) from path.
func ReadIDXFile(path string) (*tensor.Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	defer f.Close()
	t, err := ReadIDX(f)
	if err != nil {
		return nil, fmt.Errorf("train: %s: %w", path, err)
	}
	return t, nil
}

// MNISTSplit selects the training or test files of an MNIST-format
// directory.
type MNISTSplit string

// The two splits: files train-* and t10k-*.
const (
	MNISTTrain MNISTSplit = "train"
	MNISTTest  MNISTSplit = "t10k"
)

// LoadMNIST loads DIR/{train,t10k}-images-idx3-ubyte and
// DIR/{train,t10k}-labels-idx1-ubyte (each possibly with .gz; Debian's
// dataset-fashion-mnist installs the gzipped files under
// /usr/share/datasets/fashion-mnist). Images become float32 scaled to
// [0, 1], shaped (N, 1, rows, cols), or (N, rows·cols) when flatten;
// labels become float32 (N,) and must be classes 0..9.
func LoadMNIST(dir string, split MNISTSplit, flatten bool) (images, labels *tensor.Tensor, err error) {
	if split != MNISTTrain && split != MNISTTest {
		return nil, nil, fmt.Errorf("train: MNIST split %q: want train or t10k", split)
	}
	find := func(base string) (string, error) {
		for _, p := range []string{base, base + ".gz"} {
			full := filepath.Join(dir, p)
			if _, err := os.Stat(full); err == nil {
				return full, nil
			}
		}
		return "", fmt.Errorf("train: MNIST: neither %s nor %s.gz in %s", base, base, dir)
	}
	ip, err := find(string(split) + "-images-idx3-ubyte")
	if err != nil {
		return nil, nil, err
	}
	lp, err := find(string(split) + "-labels-idx1-ubyte")
	if err != nil {
		return nil, nil, err
	}
	img, err := ReadIDXFile(ip)
	if err != nil {
		return nil, nil, err
	}
	lab, err := ReadIDXFile(lp)
	if err != nil {
		return nil, nil, err
	}
	if img.DType() != tensor.Uint8 || img.NDim() != 3 {
		return nil, nil, fmt.Errorf("train: %s: images are %s, want uint8 (N, rows, cols)", ip, img)
	}
	if lab.DType() != tensor.Uint8 || lab.NDim() != 1 {
		return nil, nil, fmt.Errorf("train: %s: labels are %s, want uint8 (N,)", lp, lab)
	}
	n, h, w := img.Dim(0), img.Dim(1), img.Dim(2)
	if lab.Dim(0) != n {
		return nil, nil, fmt.Errorf("train: MNIST: %d images but %d labels", n, lab.Dim(0))
	}
	shape := []int{n, 1, h, w}
	if flatten {
		shape = []int{n, h * w}
	}
	images, err = tensor.New(tensor.Float32, shape...)
	if err != nil {
		return nil, nil, fmt.Errorf("train: MNIST images: %w", err)
	}
	f := images.Float32s()
	for i, v := range img.Bytes() {
		f[i] = float32(v) / 255
	}
	labels, err = tensor.New(tensor.Float32, n)
	if err != nil {
		return nil, nil, fmt.Errorf("train: MNIST labels: %w", err)
	}
	lf := labels.Float32s()
	for i, v := range lab.Bytes() {
		if v > 9 {
			return nil, nil, fmt.Errorf("train: %s: sample %d has label %d, not a class in [0, 10)", lp, i, v)
		}
		lf[i] = float32(v)
	}
	return images, labels, nil
}

// NewMNISTIter returns an NDArrayIter over an MNIST-format split loaded
// with LoadMNIST: data "data" ((N, 1, rows, cols), or (N, rows·cols) when
// flatten) and label "softmax_label", with labels checked to be classes
// 0..9 (o.NumClasses is set to 10).
func NewMNISTIter(dir string, split MNISTSplit, flatten bool, o IterOptions) (*NDArrayIter, error) {
	img, lab, err := LoadMNIST(dir, split, flatten)
	if err != nil {
		return nil, err
	}
	o.NumClasses = 10
	return NewNDArrayIter([]NamedArray{{Name: "data", Array: img}}, []NamedArray{{Name: "softmax_label", Array: lab}}, o)
}
