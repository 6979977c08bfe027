package ops_test

import (
	"math/rand/v2"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// BenchmarkMultiBoxDetection times SSD-512's detection step (6144
// anchors, 21 classes, force_suppress, nms_topk 400, as in
// testdata/mxnet/mxnet-ssd-mobilenet-512) on softmax-like scores with a
// dominant background, most anchors above the 0.01 threshold.
func BenchmarkMultiBoxDetection(b *testing.B) {
	op, _ := ops.Lookup("_contrib_MultiBoxDetection")
	p, err := op.Parse(map[string]string{"force_suppress": "True", "nms_threshold": "0.5", "nms_topk": "400"})
	if err != nil {
		b.Fatal(err)
	}
	const na, nc = 6144, 21
	r := rand.New(rand.NewPCG(1, 2))
	cls, _ := tensor.New(tensor.Float32, 1, nc, na)
	loc, _ := tensor.New(tensor.Float32, 1, na*4)
	anc, _ := tensor.New(tensor.Float32, 1, na, 4)
	cs := cls.Float32s()
	for i := range na {
		var sum float32
		for j := range nc {
			v := r.Float32()
			if j == 0 {
				v *= 20
			}
			cs[j*na+i] = v
			sum += v
		}
		for j := range nc {
			cs[j*na+i] /= sum
		}
	}
	for i := range anc.Float32s() {
		anc.Float32s()[i] = r.Float32()
	}
	for i := range loc.Float32s() {
		loc.Float32s()[i] = r.Float32()*0.2 - 0.1
	}
	y, _ := tensor.New(tensor.Float32, 1, na, 6)
	shapes := []ops.Shape{cls.Shape(), loc.Shape(), anc.Shape()}
	ctx := &ops.Ctx{Threads: 1, Scratch: make([]float32, op.Workspace(p, shapes))}
	in, out := []*tensor.Tensor{cls, loc, anc}, []*tensor.Tensor{y}
	b.ReportAllocs()
	for b.Loop() {
		if err := op.Forward(ctx, p, in, out); err != nil {
			b.Fatal(err)
		}
	}
}
