package train

import (
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

func benchOpt(b *testing.B, opt Optimizer) {
	const n = 256 * 784
	w, _ := tensor.New(tensor.Float32, 256, 784)
	g, _ := tensor.New(tensor.Float32, 256, 784)
	gf := g.Float32s()
	for i := range gf {
		gf[i] = float32(i%17) * 0.01
	}
	u := NewUpdater(opt)
	idx := []int{0}
	ws, gs := []*tensor.Tensor{w}, []*tensor.Tensor{g}
	if err := u.Update(idx, ws, gs); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(n * 4)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := u.Update(idx, ws, gs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpdateSGDMomentum(b *testing.B) {
	o, _ := Create("sgd", Options{ClipGradient: 1}, map[string]float64{"learning_rate": 0.1, "momentum": 0.9, "wd": 1e-4})
	benchOpt(b, o)
}

func BenchmarkUpdateNAG(b *testing.B) {
	o, _ := Create("nag", Options{}, map[string]float64{"momentum": 0.9})
	benchOpt(b, o)
}

func BenchmarkUpdateAdam(b *testing.B) {
	o, _ := Create("adam", Options{}, nil)
	benchOpt(b, o)
}

func BenchmarkUpdateAdaGrad(b *testing.B) {
	o, _ := Create("adagrad", Options{}, nil)
	benchOpt(b, o)
}

func BenchmarkUpdateRMSPropCentered(b *testing.B) {
	o, _ := Create("rmsprop", Options{}, map[string]float64{"centered": 1})
	benchOpt(b, o)
}
