package ops_test

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// kbLoadParamsV2 reads an MXNet list file of dense float32 V2 records
// (enough for lenet-module) into a name → tensor map, "arg:" stripped.
func kbLoadParamsV2(t *testing.T, path string) map[string]*tensor.Tensor {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pos := 0
	u32 := func() uint32 { v := binary.LittleEndian.Uint32(b[pos:]); pos += 4; return v }
	u64 := func() uint64 { v := binary.LittleEndian.Uint64(b[pos:]); pos += 8; return v }
	if u64() != 0x112 || u64() != 0 {
		t.Fatal("not an NDArray list file")
	}
	n := int(u64())
	arrays := make([]*tensor.Tensor, n)
	for i := range arrays {
		if m := u32(); m != 0xF993FAC9 {
			t.Fatalf("record %d: magic %#x, want V2", i, m)
		}
		if st := u32(); st != 0 {
			t.Fatalf("record %d: storage type %d", i, st)
		}
		shape := make([]int, u32())
		for j := range shape {
			shape[j] = int(u64())
		}
		pos += 8 // context
		if tf := u32(); tf != 0 {
			t.Fatalf("record %d: type flag %d, want float32", i, tf)
		}
		x, err := tensor.New(tensor.Float32, shape...)
		if err != nil {
			t.Fatal(err)
		}
		for j := range x.Float32s() {
			x.Float32s()[j] = math.Float32frombits(u32())
		}
		arrays[i] = x
	}
	out := map[string]*tensor.Tensor{}
	if names := int(u64()); names != n {
		t.Fatalf("%d names for %d arrays", names, n)
	}
	for i := range n {
		l := int(u64())
		name := string(b[pos : pos+l])
		pos += l
		out[strings.TrimPrefix(name, "arg:")] = arrays[i]
	}
	return out
}

// kbReluFC is relu(x·Wᵀ + b) (relu optional) in float64 on a (N, K) view.
func kbReluFC(x, w, b *tensor.Tensor, relu bool) *tensor.Tensor {
	n, h := x.Dim(0), w.Dim(0)
	k := x.Len() / n
	y, _ := tensor.New(tensor.Float32, n, h)
	xv, wv := kaF64(x), kaF64(w)
	for i := range n {
		for j := range h {
			s := b.Float64At(j)
			for p := range k {
				s += xv[i*k+p] * wv[j*k+p]
			}
			if relu {
				s = math.Max(s, 0)
			}
			y.Float32s()[i*h+j] = float32(s)
		}
	}
	return y
}

func kbRelu(x *tensor.Tensor) *tensor.Tensor {
	for i, v := range x.Float32s() {
		x.Float32s()[i] = max(v, 0)
	}
	return x
}

// TestLeNetCheckpoint runs the real lenet-module checkpoint (MXNet 1.3.1)
// with the Convolution, Pooling and SoftmaxOutput kernels (relu and
// FullyConnected as plain test loops) on the first ten MNIST test images,
// which it classifies 7 2 1 0 4 1 4 9 5 9.
func TestLeNetCheckpoint(t *testing.T) {
	dir := filepath.Join("..", "testdata", "mxnet")
	p := kbLoadParamsV2(t, filepath.Join(dir, "lenet-module", "LeNet-0010.params"))
	x, _ := tensor.New(tensor.Float32, 10, 1, 28, 28)
	for i := range 10 {
		b, err := os.ReadFile(filepath.Join(dir, "mnist-samples", fmt.Sprintf("%02d.json", i)))
		if err != nil {
			t.Fatal(err)
		}
		var img [][][]float32
		if err := json.Unmarshal(b, &img); err != nil {
			t.Fatal(err)
		}
		for r := range 28 {
			copy(x.Float32s()[i*784+r*28:], img[0][r])
		}
	}
	conv1 := kaRun(t, "Convolution", map[string]string{"kernel": "(5, 5)", "num_filter": "6"}, x, p["conv1_weight"], p["conv1_bias"])[0]
	_, want := convRef(x, p["conv1_weight"], p["conv1_bias"], nil, nil, nil, 1)
	kaCheck(t, "conv1", conv1, []int{10, 6, 24, 24}, want, 1e-4, 1e-5)
	pool := map[string]string{"kernel": "(2, 2)", "pool_type": "max", "stride": "(2, 2)"}
	h := kaRun(t, "Pooling", pool, kbRelu(conv1))[0]
	h = kaRun(t, "Convolution", map[string]string{"kernel": "(5, 5)", "num_filter": "16"}, h, p["conv2_weight"], p["conv2_bias"])[0]
	h = kaRun(t, "Pooling", pool, kbRelu(h))[0]
	h = kbReluFC(h, p["fc1_weight"], p["fc1_bias"], true)
	h = kbReluFC(h, p["fc2_weight"], p["fc2_bias"], true)
	h = kbReluFC(h, p["fc3_weight"], p["fc3_bias"], false)
	label, _ := tensor.New(tensor.Float32, 10)
	prob := kaRun(t, "SoftmaxOutput", nil, h, label)[0]
	var got []int
	for i := range 10 {
		row := prob.Float32s()[i*10 : (i+1)*10]
		best, sum := 0, float32(0)
		for j, v := range row {
			sum += v
			if v > row[best] {
				best = j
			}
		}
		if math.Abs(float64(sum)-1) > 1e-5 {
			t.Errorf("sample %d: probabilities sum to %g", i, sum)
		}
		got = append(got, best)
	}
	if fmt.Sprint(got) != "[7 2 1 0 4 1 4 9 5 9]" {
		t.Errorf("LeNet predicts %v, want [7 2 1 0 4 1 4 9 5 9]", got)
	}
}
