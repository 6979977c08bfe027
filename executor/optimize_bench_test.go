package executor_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/tensor"
)

// BenchmarkOptimize times CIFAR ResNet-20 v1 and LeNet with the bind-time
// optimisation on and off in the same run: batch 1 on one thread (latency)
// and batch 8 on two threads (throughput), reporting samples/s.
func BenchmarkOptimize(b *testing.B) {
	for _, name := range []string{"gluoncv-cifar-resnet20-v1", "lenet-module"} {
		c := findCase(b, name)
		ck, in := loadCheckpoint(b, c)
		for _, cfg := range []struct{ batch, threads int }{{1, 1}, {8, 2}} {
			shape := append([]int{cfg.batch}, in.Shape()[1:]...)
			x, err := tensor.New(tensor.Float32, shape...)
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			for i, f := 0, x.Float32s(); i < len(f); i++ {
				f[i] = rng.Float32()
			}
			b.Run(fmt.Sprintf("%s/b%d-t%d/alternating", name, cfg.batch, cfg.threads), func(b *testing.B) {
				benchAlternating(b, c, ck.Symbol, ck.Args, ck.Aux, x, cfg.batch, cfg.threads)
			})
			for _, opt := range []bool{true, false} {
				label := map[bool]string{true: "on", false: "off"}[opt]
				b.Run(fmt.Sprintf("%s/b%d-t%d/opt-%s", name, cfg.batch, cfg.threads, label), func(b *testing.B) {
					m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{c.InputName: shape},
						executor.WithThreads(cfg.threads), executor.WithOptimize(opt))
					if err != nil {
						b.Fatal(err)
					}
					ctx := context.Background()
					inputs := []*tensor.Tensor{x}
					out, err := m.Predict(ctx, inputs, nil)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportAllocs()
					b.ResetTimer()
					for range b.N {
						if out, err = m.Predict(ctx, inputs, out); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.N*cfg.batch)/b.Elapsed().Seconds(), "samples/s")
				})
			}
		}
	}
}

// benchAlternating runs the optimised and the plain model alternately in
// one loop (so a busy machine's noise hits both alike) and reports each
// one's samples/s and the speed-up. With one thread it also reports the
// speed-up in CPU time of the calling OS thread (Linux), which a busy
// machine's scheduling disturbs less than wall time.
func benchAlternating(b *testing.B, c modelCase, sym *graph.Symbol, args, aux map[string]*tensor.Tensor, x *tensor.Tensor, batch, threads int) {
	var models [2]*executor.Model
	var outs [2][]*tensor.Tensor
	ctx := context.Background()
	inputs := []*tensor.Tensor{x}
	for i, opt := range []bool{true, false} {
		m, err := executor.Bind(sym, args, aux, map[string][]int{c.InputName: x.Shape()},
			executor.WithThreads(threads), executor.WithOptimize(opt))
		if err != nil {
			b.Fatal(err)
		}
		if outs[i], err = m.Predict(ctx, inputs, nil); err != nil {
			b.Fatal(err)
		}
		models[i] = m
	}
	var spent, cpu [2]time.Duration
	cpuOK := threads == 1
	if cpuOK {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i, m := range models {
			c0, ok0 := threadCPU()
			start := time.Now()
			var err error
			if outs[i], err = m.Predict(ctx, inputs, outs[i]); err != nil {
				b.Fatal(err)
			}
			spent[i] += time.Since(start)
			c1, ok1 := threadCPU()
			cpuOK = cpuOK && ok0 && ok1
			cpu[i] += c1 - c0
		}
	}
	if cpuOK && cpu[0] > 0 {
		b.ReportMetric(float64(cpu[1])/float64(cpu[0]), "cpu-speedup")
	}
	on := float64(b.N*batch) / spent[0].Seconds()
	off := float64(b.N*batch) / spent[1].Seconds()
	b.ReportMetric(on, "on-samples/s")
	b.ReportMetric(off, "off-samples/s")
	b.ReportMetric(on/off, "speedup")
}
