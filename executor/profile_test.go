package executor

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// TestProfileGenderAge profiles InsightFace's gender-age MobileNet
// (depthwise and fused convolutions, a FullyConnected): one row per plan
// step with the step's node, op and shape, positive times whose sum is
// close to Predict's, and FLOP counts for the convolutions.
func TestProfileGenderAge(t *testing.T) {
	ck, err := serialize.LoadCheckpoint("../testdata/mxnet/insightface-gender-age/model", 0)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {2, 3, 112, 112}}, WithThreads(1))
	if err != nil {
		t.Fatal(err)
	}
	x, _ := tensor.New(tensor.Float32, 2, 3, 112, 112)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range x.Float32s() {
		x.Float32s()[i] = rng.Float32()
	}
	in := []*tensor.Tensor{x}
	const rounds = 20
	prof, err := m.Profile(context.Background(), in, rounds)
	if err != nil {
		t.Fatal(err)
	}
	p := m.last.Load()
	if len(prof) != len(p.steps) {
		t.Fatalf("%d profile rows, the plan has %d steps", len(prof), len(p.steps))
	}
	var sum time.Duration
	var pct float64
	convs, fused := 0, 0
	for i, sp := range prof {
		s := &p.steps[i]
		if sp.Node != m.g.Nodes[s.node].Name || sp.Op != s.op.Name {
			t.Errorf("row %d: %s (%s), the plan's step is %s (%s)", i, sp.Node, sp.Op, m.g.Nodes[s.node].Name, s.op.Name)
		}
		if !slices.Equal(p.shapes[s.out[0]], sp.Shape) {
			t.Errorf("row %d %s: shape %v, want %v", i, sp.Node, sp.Shape, p.shapes[s.out[0]])
		}
		if sp.Mean <= 0 || sp.Min <= 0 || sp.Min > sp.Mean {
			t.Errorf("row %d %s: mean %v, min %v", i, sp.Node, sp.Mean, sp.Min)
		}
		sum += sp.Mean
		pct += sp.Percent
		switch sp.Op {
		case "Convolution", "_mxgo_fused_conv", "FullyConnected", "_mxgo_fused_fc":
			if sp.FLOPs <= 0 || sp.GFLOPS <= 0 {
				t.Errorf("row %d %s (%s): %d FLOPs, %g GFLOP/s", i, sp.Node, sp.Op, sp.FLOPs, sp.GFLOPS)
			}
			convs++
			if sp.Op == "_mxgo_fused_conv" {
				fused++
			}
		default:
			if sp.FLOPs != 0 {
				t.Errorf("row %d %s (%s): %d FLOPs, want 0", i, sp.Node, sp.Op, sp.FLOPs)
			}
		}
	}
	if convs == 0 || fused == 0 {
		t.Errorf("%d convolution/FC rows, %d fused: the model has both", convs, fused)
	}
	if pct < 99.9 || pct > 100.1 {
		t.Errorf("percentages sum to %g", pct)
	}
	// The first convolution: 3→8 channels, 3×3, stride 1, 112×112
	// output, batch 2.
	first := slices.IndexFunc(prof, func(sp StepProfile) bool { return sp.FLOPs > 0 })
	if sp := prof[max(first, 0)]; !slices.Equal(sp.Shape, []int{2, 8, 112, 112}) || sp.FLOPs != 2*2*8*112*112*3*3*3 {
		t.Errorf("first convolution %s: shape %v, %d FLOPs, want (2,8,112,112), %d", sp.Node, sp.Shape, sp.FLOPs, 2*2*8*112*112*3*3*3)
	}
	// The steps' sum against Predict's mean time (the best of a few tries:
	// the machine may be busy).
	if testing.Verbose() {
		for _, sp := range prof {
			t.Logf("%-28s %-18s %-16v %8v %5.1f%% %6.1f GFLOP/s", sp.Node, sp.Op, sp.Shape, sp.Mean, sp.Percent, sp.GFLOPS)
		}
	}
	var out []*tensor.Tensor
	best := time.Duration(1 << 62)
	for range 3 {
		t0 := time.Now()
		for range rounds {
			if out, err = m.Predict(context.Background(), in, out); err != nil {
				t.Fatal(err)
			}
		}
		best = min(best, time.Since(t0)/rounds)
	}
	if r := float64(sum) / float64(best); r < 0.5 || r > 2 {
		t.Errorf("steps sum to %v, Predict takes %v", sum, best)
	}
}

func TestProfileErrors(t *testing.T) {
	ck, err := serialize.LoadCheckpoint("../testdata/mxnet/lenet-module/LeNet", 10)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{"data": {1, 1, 28, 28}})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := tensor.New(tensor.Float32, 1, 1, 28, 28)
	if _, err := m.Profile(context.Background(), []*tensor.Tensor{x}, 0); err == nil {
		t.Error("rounds 0: no error")
	}
	if _, err := m.Profile(context.Background(), nil, 1); err == nil {
		t.Error("no inputs: no error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Profile(ctx, []*tensor.Tensor{x}, 1); err != context.Canceled {
		t.Errorf("cancelled: %v", err)
	}
}
