package executor_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// BenchmarkConvModels runs whole convolutional models through Predict:
// CIFAR ResNet-20 v1 (GluonCV checkpoint, 32×32) and RetinaFace
// MobileNet-0.25 (depthwise 3×3 throughout, here at 112×112), batch 1 on
// one thread (latency) and batch 8 on two threads (throughput), reporting
// images/s. The cores may be shared: compare variants in one run.
func BenchmarkConvModels(b *testing.B) {
	models := []struct {
		name, prefix string
		hw           int
	}{
		{"resnet20", "../testdata/mxnet/gluoncv-cifar-resnet20-v1/cifar_resnet20_v1", 32},
		{"retinaface-mnet25", "../testdata/mxnet/retinaface-mnet25/mnet.25", 112},
	}
	for _, md := range models {
		ck, err := serialize.LoadCheckpoint(md.prefix, 0)
		if err != nil {
			b.Fatal(err)
		}
		in, err := executor.DataInputs(ck.Symbol, ck.Args, ck.Aux)
		if err != nil || len(in) != 1 {
			b.Fatalf("data inputs %v, %v", in, err)
		}
		for _, bt := range [][2]int{{1, 1}, {8, 2}} {
			batch, threads := bt[0], bt[1]
			b.Run(fmt.Sprintf("%s/b%d/t%d", md.name, batch, threads), func(b *testing.B) {
				m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{in[0]: {batch, 3, md.hw, md.hw}},
					executor.WithThreads(threads), executor.AllowExtra())
				if err != nil {
					b.Fatal(err)
				}
				x, _ := tensor.New(tensor.Float32, batch, 3, md.hw, md.hw)
				for i := range x.Float32s() {
					x.Float32s()[i] = float32(i%253)/253 - 0.5
				}
				ins := []*tensor.Tensor{x}
				out, err := m.Predict(context.Background(), ins, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				c0 := processCPU()
				for range b.N {
					if out, err = m.Predict(context.Background(), ins, out); err != nil {
						b.Fatal(err)
					}
				}
				cpu := processCPU() - c0
				b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "img/s")
				// CPU time per image: on a machine shared with other
				// processes this is steadier than wall time.
				b.ReportMetric(cpu.Seconds()*1e3/float64(batch*b.N), "cpu-ms/img")
			})
		}
	}
}

// processCPU is the process's user and system CPU time.
func processCPU() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
