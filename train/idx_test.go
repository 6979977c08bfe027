package train

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// idxBytes builds an IDX file by hand: magic, big-endian dims, payload.
func idxBytes(typ byte, dims []uint32, payload []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, typ, byte(len(dims))})
	for _, d := range dims {
		_ = binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(payload)
	return b.Bytes()
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	_, _ = w.Write(b)
	_ = w.Close()
	return out.Bytes()
}

func TestReadIDX(t *testing.T) {
	u8 := idxBytes(0x08, []uint32{2, 3}, []byte{1, 2, 3, 4, 5, 255})
	for name, b := range map[string][]byte{"plain": u8, "gzip": gz(u8)} {
		got, err := ReadIDX(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.DType() != tensor.Uint8 || got.String() != "uint8(2,3)" || !bytes.Equal(got.Bytes(), []byte{1, 2, 3, 4, 5, 255}) {
			t.Errorf("%s: %s % x", name, got, got.Bytes())
		}
	}
	// Big-endian int16 and float32 elements: -2 = ff fe; 1.5 = 3f c0 00 00.
	i16, err := ReadIDX(bytes.NewReader(idxBytes(0x0B, []uint32{2}, []byte{0xff, 0xfe, 0x01, 0x00})))
	if err != nil || i16.Float64At(0) != -2 || i16.Float64At(1) != 256 {
		t.Errorf("int16: %v %v", i16, err)
	}
	f32, err := ReadIDX(bytes.NewReader(idxBytes(0x0D, []uint32{1}, []byte{0x3f, 0xc0, 0, 0})))
	if err != nil || f32.Float32s()[0] != 1.5 {
		t.Errorf("float32: %v %v", f32, err)
	}
	for name, c := range map[string]struct {
		b    []byte
		want string
	}{
		"empty":     {nil, "truncated"},
		"magic":     {[]byte{1, 0, 8, 1, 0, 0, 0, 0}, "magic"},
		"type":      {idxBytes(0x07, []uint32{1}, []byte{0}), "type"},
		"ndim0":     {[]byte{0, 0, 8, 0}, "dimensions"},
		"dims":      {[]byte{0, 0, 8, 3, 0, 0}, "truncated"},
		"short":     {idxBytes(0x08, []uint32{2, 3}, []byte{1, 2, 3}), "truncated"},
		"shortgz":   {gz(idxBytes(0x08, []uint32{2, 3}, []byte{1, 2, 3})), "truncated"},
		"cutgz":     {gz(u8)[:20], ""},
		"trailing":  {idxBytes(0x08, []uint32{1}, []byte{1, 2}), "trailing"},
		"huge":      {idxBytes(0x08, []uint32{0x7fffffff, 0x7fffffff, 0x7fffffff}, []byte{1}), ""},
		"hugeshort": {idxBytes(0x0E, []uint32{1 << 20, 4}, []byte{1, 2, 3}), "truncated"},
		"toolarge":  {idxBytes(0x0E, []uint32{1 << 30, 4}, []byte{1, 2, 3}), "allowed"},
	} {
		_, err := ReadIDX(bytes.NewReader(c.b))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", name, err, c.want)
		}
	}
}

func writeMNIST(t *testing.T, dir, split string, n int, labels []byte, gzipped bool) {
	t.Helper()
	img := make([]byte, n*2*3)
	for i := range img {
		img[i] = byte(i * 7)
	}
	files := map[string][]byte{
		split + "-images-idx3-ubyte": idxBytes(0x08, []uint32{uint32(n), 2, 3}, img),
		split + "-labels-idx1-ubyte": idxBytes(0x08, []uint32{uint32(len(labels))}, labels),
	}
	for name, b := range files {
		if gzipped {
			name, b = name+".gz", gz(b)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadMNIST(t *testing.T) {
	dir := t.TempDir()
	writeMNIST(t, dir, "train", 4, []byte{0, 9, 3, 1}, true)
	writeMNIST(t, dir, "t10k", 2, []byte{5, 6}, false)
	img, lab, err := LoadMNIST(dir, MNISTTrain, false)
	if err != nil {
		t.Fatal(err)
	}
	if img.String() != "float32(4,1,2,3)" || lab.String() != "float32(4,)" {
		t.Fatalf("%s %s", img, lab)
	}
	if got := img.Float32s()[5]; got != float32(35)/255 || lab.Float32s()[1] != 9 {
		t.Errorf("pixel %v label %v", got, lab.Float32s()[1])
	}
	img, _, err = LoadMNIST(dir, MNISTTest, true)
	if err != nil || img.String() != "float32(2,6)" {
		t.Fatalf("flatten: %v %v", img, err)
	}

	it, err := NewMNISTIter(dir, MNISTTrain, true, IterOptions{BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, ok := it.Next()
	if !ok || b.Data[0].String() != "float32(3,6)" || b.Label[0].Float32s()[1] != 9 {
		t.Errorf("MNIST iterator batch %v %v", b, ok)
	}
	if d := it.ProvideData(); d[0].Name != "data" || it.ProvideLabel()[0].Name != "softmax_label" {
		t.Errorf("names %v %v", d, it.ProvideLabel())
	}

	bad := t.TempDir()
	writeMNIST(t, bad, "train", 3, []byte{0, 10, 1}, false)
	if _, _, err := LoadMNIST(bad, MNISTTrain, false); err == nil || !strings.Contains(err.Error(), "label 10") {
		t.Errorf("out-of-range label: %v", err)
	}
	writeMNIST(t, bad, "t10k", 3, []byte{0, 1}, false)
	if _, _, err := LoadMNIST(bad, MNISTTest, false); err == nil || !strings.Contains(err.Error(), "3 images but 2 labels") {
		t.Errorf("count mismatch: %v", err)
	}
	if _, _, err := LoadMNIST(t.TempDir(), MNISTTrain, false); err == nil {
		t.Error("missing files accepted")
	}
}

// TestFashionMNISTDebian reads Debian's dataset-fashion-mnist when
// installed: 60000/10000 28×28 images, 6000/1000 samples of each class.
func TestFashionMNISTDebian(t *testing.T) {
	const dir = "/usr/share/datasets/fashion-mnist"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("dataset-fashion-mnist not installed")
	}
	for _, c := range []struct {
		split MNISTSplit
		n     int
	}{{MNISTTrain, 60000}, {MNISTTest, 10000}} {
		img, lab, err := LoadMNIST(dir, c.split, true)
		if err != nil {
			t.Fatal(err)
		}
		if img.Dim(0) != c.n || img.Dim(1) != 784 || lab.Dim(0) != c.n {
			t.Fatalf("%s: %s %s", c.split, img, lab)
		}
		var per [10]int
		for _, l := range lab.Float32s() {
			per[int(l)]++
		}
		for k, v := range per {
			if v != c.n/10 {
				t.Errorf("%s: class %d has %d samples", c.split, k, v)
			}
		}
	}
}
