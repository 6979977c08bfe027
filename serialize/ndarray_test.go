package serialize

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// realNDArrayFiles lists every NDArray file in testdata/mxnet with its format.
var realNDArrayFiles = []struct {
	path   string
	format NDArrayFormat
	named  bool
	n      int
}{
	{"autogluon-tabnn-embed/net.params", FormatV2, true, 25},
	{"bmxnet-mnist-binary/binarized_mnist_32bit-0001.params", FormatLegacy, true, 18},
	{"gluoncv-cifar-resnet20-v1/cifar_resnet20_v1-0000.params", FormatV2, true, 107},
	{"go-predictor-fc/go_test-0001.params", FormatLegacy, true, 2},
	{"lenet-module/LeNet-0010.params", FormatV2, true, 10},
	{"lffd-lp-small/train_64_512_16L_3scales_v1_small_iter_1000000.params", FormatV2, true, 62},
	{"mean-image-nd/mean_224.nd", FormatLegacy, true, 1},
	{"mtcnn-det1/det1-0001.params", FormatLegacy, true, 13},
	{"mtcnn-det4/det4-0001.params", FormatLegacy, true, 73},
	{"mxnet-unittest/legacy_ndarray.v0", FormatLegacy, false, 6},
	{"sm-linreg/model-0000.params", FormatV1, true, 2},
	{"sm-mlp-dummy/model-0000.params", FormatV2, true, 6},
	{"sockeye-2.1-v2/params.best", FormatV2, true, 34},
	{"sockeye-2.4-mx2-npz/params.best", FormatNPZ, true, 33},
	{"straightdope-ndarray/test.ndarray", FormatV1, false, 1},
	{"straightdope-ndarray/test1.ndarray", FormatV1, false, 2},
	{"straightdope-ndarray/test2.ndarray", FormatV1, true, 2},
}

func realPath(p string) string { return filepath.Join("..", "testdata", "mxnet", p) }

func TestRealFilesLoadAndResaveIdentical(t *testing.T) {
	for _, f := range realNDArrayFiles {
		t.Run(f.path, func(t *testing.T) {
			orig, err := os.ReadFile(realPath(f.path))
			if err != nil {
				t.Fatal(err)
			}
			for _, mode := range []string{"reader", "bytes", "mmap"} {
				var l *NDArrayList
				switch mode {
				case "reader":
					l, err = LoadNDArrays(realPath(f.path))
				case "bytes":
					l, err = ParseNDArrays(orig)
				case "mmap":
					var c interface{ Close() error }
					l, c, err = MapNDArrays(realPath(f.path))
					if err == nil {
						defer c.Close()
					}
				}
				if err != nil {
					t.Fatalf("%s: %v", mode, err)
				}
				if l.Format != f.format || l.Named != f.named || len(l.Arrays) != f.n {
					t.Fatalf("%s: got %s named=%v n=%d, want %s %v %d", mode, l.Format, l.Named, len(l.Arrays), f.format, f.named, f.n)
				}
				var b bytes.Buffer
				if err := WriteNDArrays(&b, l, l.Format); err != nil {
					t.Fatalf("%s: re-save: %v", mode, err)
				}
				if !bytes.Equal(b.Bytes(), orig) {
					t.Fatalf("%s: re-save differs (%d vs %d bytes)", mode, b.Len(), len(orig))
				}
			}
		})
	}
}

func mustLoad(t *testing.T, p string) *NDArrayList {
	t.Helper()
	l, err := LoadNDArrays(realPath(p))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestRealFileContents(t *testing.T) {
	// legacy_ndarray.v0: six copies of arange(128).
	l := mustLoad(t, "mxnet-unittest/legacy_ndarray.v0")
	for i, a := range l.Arrays {
		if a.Name != "" || a.Tensor.DType() != tensor.Float32 || a.Tensor.Len() != 128 {
			t.Fatalf("array %d: %q %v", i, a.Name, a.Tensor)
		}
		for j, v := range a.Tensor.Float32s() {
			if v != float32(j) {
				t.Fatalf("array %d[%d] = %v", i, j, v)
			}
		}
	}
	// straight-dope: X = ones(100,100), Y = zeros(100,100).
	l = mustLoad(t, "straightdope-ndarray/test2.ndarray")
	for name, want := range map[string]float32{"X": 1, "Y": 0} {
		a := l.Get(name)
		if a == nil || tensor.ShapeString(a.Shape()) != "(100,100)" {
			t.Fatalf("%s: %+v", name, a)
		}
		for _, v := range a.Tensor.Float32s() {
			if v != want {
				t.Fatalf("%s has %v", name, v)
			}
		}
	}
	// sm-linreg: fc1_weight (1,2) = [1.0, 1.9999949], fc1_bias ≈ 2.48e-06.
	args, aux, err := SplitParams(mustLoad(t, "sm-linreg/model-0000.params"))
	if err != nil || len(aux) != 0 {
		t.Fatal(err, aux)
	}
	w := args["fc1_weight"].Float32s()
	if tensor.ShapeString(args["fc1_weight"].Shape()) != "(1,2)" || w[0] != 1 || w[1] < 1.999994 || w[1] > 1.999996 {
		t.Fatalf("fc1_weight %v %v", args["fc1_weight"], w)
	}
	if b := args["fc1_bias"].Float32s()[0]; b < 2.47e-6 || b > 2.49e-6 {
		t.Fatalf("fc1_bias %v", b)
	}
}

func TestSplitParams(t *testing.T) {
	args, aux, err := SplitParams(mustLoad(t, "gluoncv-cifar-resnet20-v1/cifar_resnet20_v1-0000.params"))
	if err != nil {
		t.Fatal(err)
	}
	if len(args)+len(aux) != 107 || len(aux) == 0 {
		t.Fatalf("args %d aux %d", len(args), len(aux))
	}
	for k := range aux {
		if !bytes.Contains([]byte(k), []byte("running_")) {
			t.Errorf("aux key %q", k)
		}
	}
	// Gluon structural names: everything in args.
	args, aux, err = SplitParams(mustLoad(t, "autogluon-tabnn-embed/net.params"))
	if err != nil || len(aux) != 0 || args["numeric_block.body.weight"] == nil {
		t.Fatalf("%v aux=%d", err, len(aux))
	}
	if _, _, err := SplitParams(mustLoad(t, "mxnet-unittest/legacy_ndarray.v0")); err == nil {
		t.Error("unnamed list split without error")
	}
	x, _ := tensor.FromSlice([]float32{1})
	bad := NewNDArrayList([]string{"foo:x"}, []*tensor.Tensor{x})
	if _, _, err := SplitParams(bad); err == nil {
		t.Error("unknown prefix accepted")
	}
	dup := NewNDArrayList([]string{"arg:x", "arg:x"}, []*tensor.Tensor{x, x})
	if _, _, err := SplitParams(dup); err == nil {
		t.Error("duplicate accepted")
	}
}

// The spec's worked example §1.9: what MXNet 1.x writes for a tiny dict.
func TestTinyParamsMatchesSpec(t *testing.T) {
	w, _ := tensor.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	m, _ := tensor.FromSlice([]tensor.Half{tensor.ToHalf(0.5), tensor.ToHalf(-2)})
	l := NewNDArrayList([]string{"arg:w", "aux:m"}, []*tensor.Tensor{w, m})
	var b bytes.Buffer
	if err := WriteNDArrays(&b, l, FormatV2); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b.Bytes())
	if b.Len() != 150 || hex.EncodeToString(sum[:]) != "db38876a41a7a324dd2880532a7394dfc6cc0c0e8f8b2fd058a859a3a04325ab" {
		t.Fatalf("%d bytes, sha %x\n%x", b.Len(), sum, b.Bytes())
	}
}
