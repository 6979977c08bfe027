package train_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/mxgo/mxgo/tensor"
	"github.com/mxgo/mxgo/train"
)

// A training loop as Module.fit runs it, with a hand-written softmax
// regression standing in for the executor's forward and backward:
// initializer, iterator, optimizer by name (rescale_grad = 1/batch_size),
// Updater, metric and batch-end callback.
func Example_trainingLoop() {
	const n, batch, classes = 200, 20, 2
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 2*n)
	y := make([]float32, n)
	for i := range n {
		c := i % classes
		x[2*i] = float32(2*c-1) + float32(rng.NormFloat64())*0.2
		x[2*i+1] = float32(rng.NormFloat64())
		y[i] = float32(c)
	}
	data, _ := tensor.FromSlice(x, n, 2)
	label, _ := tensor.FromSlice(y)
	it, err := train.NewNDArrayIter([]train.NamedArray{{Name: "data", Array: data}},
		[]train.NamedArray{{Name: "softmax_label", Array: label}},
		train.IterOptions{BatchSize: batch, Shuffle: true, Seed: 7, NumClasses: classes})
	if err != nil {
		panic(err)
	}

	names := []string{"fc_weight", "fc_bias"}
	w, _ := tensor.New(tensor.Float32, classes, 2)
	b, _ := tensor.New(tensor.Float32, classes)
	init := train.NewParamInit(train.NewXavier(), 0)
	for i, p := range []*tensor.Tensor{w, b} {
		if err := init.Init(names[i], nil, p); err != nil {
			panic(err)
		}
	}
	opt, err := train.CreateForModule("sgd", names, batch, nil, map[string]float64{"learning_rate": 0.5, "momentum": 0.9})
	if err != nil {
		panic(err)
	}
	upd := train.NewUpdater(opt)
	gw, _ := tensor.New(tensor.Float32, classes, 2)
	gb, _ := tensor.New(tensor.Float32, classes)
	prob, _ := tensor.New(tensor.Float32, batch, classes)
	acc := train.NewAccuracy()
	var batches int
	count := func(train.BatchEndParam) { batches++ }
	callbacks := []train.BatchEndCallback{count}

	for epoch := range 3 {
		acc.Reset()
		nb := 0
		for bt, ok := it.Next(); ok; bt, ok = it.Next() {
			xd, yd := bt.Data[0].Float32s(), bt.Label[0].Float32s()
			wf, bf, pf := w.Float32s(), b.Float32s(), prob.Float32s()
			gwf, gbf := gw.Float32s(), gb.Float32s()
			clear(gwf)
			clear(gbf)
			for i := range batch {
				// forward: softmax(W·x + b); backward: p − onehot (SoftmaxOutput's
				// unnormalized gradient; rescale_grad divides by the batch).
				var z [classes]float64
				zmax := math.Inf(-1)
				for c := range classes {
					z[c] = float64(wf[2*c]*xd[2*i] + wf[2*c+1]*xd[2*i+1] + bf[c])
					zmax = math.Max(zmax, z[c])
				}
				var sum float64
				for c := range classes {
					z[c] = math.Exp(z[c] - zmax)
					sum += z[c]
				}
				for c := range classes {
					p := float32(z[c] / sum)
					pf[i*classes+c] = p
					if c == int(yd[i]) {
						p--
					}
					gwf[2*c] += p * xd[2*i]
					gwf[2*c+1] += p * xd[2*i+1]
					gbf[c] += p
				}
			}
			if err := acc.Update(bt.Label, []*tensor.Tensor{prob}); err != nil {
				panic(err)
			}
			if err := upd.Update([]int{0, 1}, []*tensor.Tensor{w, b}, []*tensor.Tensor{gw, gb}); err != nil {
				panic(err)
			}
			for _, cb := range callbacks {
				cb(train.BatchEndParam{Epoch: epoch, NBatch: nb, EvalMetric: acc})
			}
			nb++
		}
		it.Reset()
	}
	name, v := acc.GetGlobal()
	fmt.Printf("%d batches, %d updates, last epoch %s %.2f\n", batches, opt.Common().NumUpdate(), name, v)
	// Output:
	// 30 batches, 30 updates, last epoch accuracy 1.00
}
