package executor_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/tensor"
)

// splitGraph is a small graph for the batch-split tests: data (batch, 6)
// through FullyConnected(8) and then tail, with the weights' values.
func splitGraph(t *testing.T, tail func(x *graph.Symbol) *graph.Symbol) (*graph.Symbol, map[string]*tensor.Tensor) {
	t.Helper()
	fc := apply(t, "FullyConnected", "fc", map[string]string{"num_hidden": "8"}, graph.Variable("data"))
	r := rand.New(rand.NewPCG(3, 4))
	return tail(fc), map[string]*tensor.Tensor{"fc_weight": uniform(r, 8, 6), "fc_bias": uniform(r, 8)}
}

// uniform is a tensor of values uniform in [-2, 2).
func uniform(r *rand.Rand, shape ...int) *tensor.Tensor {
	x, _ := tensor.New(tensor.Float32, shape...)
	for i, v := range x.Float32s() {
		x.Float32s()[i] = v + r.Float32()*4 - 2
	}
	return x
}

// TestBatchSplitOnlyWhereSamplesAreIndependent binds graphs at batch 6 on
// 2 threads. Those whose every operator computes each sample alone must
// split the batch; those with an operator that mixes samples (along axis 0)
// must not. Either way the outputs must be the bits the 1-thread, unsplit
// model gives: a split that wrongly cut a mixing graph would change them.
func TestBatchSplitOnlyWhereSamplesAreIndependent(t *testing.T) {
	const batch = 6
	cases := []struct {
		name  string
		split bool
		tail  func(t *testing.T, x *graph.Symbol) *graph.Symbol
	}{
		{"relu softmax", true, func(t *testing.T, x *graph.Symbol) *graph.Symbol {
			return apply(t, "softmax", "sm", nil, apply(t, "Activation", "act", map[string]string{"act_type": "relu"}, x))
		}},
		{"SoftmaxOutput and its unbound label", true, func(t *testing.T, x *graph.Symbol) *graph.Symbol {
			return apply(t, "SoftmaxOutput", "so", nil, x, graph.Variable("so_label"))
		}},
		{"reshape keeps the batch", true, func(t *testing.T, x *graph.Symbol) *graph.Symbol {
			return apply(t, "Reshape", "rs", map[string]string{"shape": "(0, 2, 4)"}, x)
		}},
		{"softmax over axis 0", false, func(t *testing.T, x *graph.Symbol) *graph.Symbol {
			return apply(t, "softmax", "sm", map[string]string{"axis": "0"}, x)
		}},
		{"sum over the batch", false, func(t *testing.T, x *graph.Symbol) *graph.Symbol {
			s := apply(t, "sum", "s", map[string]string{"axis": "0", "keepdims": "true"}, x)
			return apply(t, "broadcast_sub", "d", nil, x, s)
		}},
		{"transpose", false, func(t *testing.T, x *graph.Symbol) *graph.Symbol {
			return apply(t, "transpose", "tr", map[string]string{"axes": "(1, 0)"}, x)
		}},
		{"concat on axis 0", false, func(t *testing.T, x *graph.Symbol) *graph.Symbol {
			return apply(t, "Concat", "cat", map[string]string{"dim": "0", "num_args": "2"}, x, x)
		}},
		{"reshape across samples", false, func(t *testing.T, x *graph.Symbol) *graph.Symbol {
			return apply(t, "Reshape", "rs", map[string]string{"shape": "(-1, 16)"}, x)
		}},
		{"slice of the batch", false, func(t *testing.T, x *graph.Symbol) *graph.Symbol {
			return apply(t, "slice_axis", "sl", map[string]string{"axis": "0", "begin": "1", "end": "4"}, x)
		}},
	}
	in := []*tensor.Tensor{uniform(rand.New(rand.NewPCG(1, 2)), batch, 6)}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sym, params := splitGraph(t, func(s *graph.Symbol) *graph.Symbol { return c.tail(t, s) })
			var outs [2][]*tensor.Tensor
			for i, threads := range []int{1, 2} {
				m, err := executor.Bind(sym, params, nil, map[string][]int{"data": {batch, 6}}, executor.WithThreads(threads))
				if err != nil {
					t.Fatal(err)
				}
				if outs[i], err = m.Predict(context.Background(), in, nil); err != nil {
					t.Fatal(err)
				}
				info := m.PlanInfo()
				if want := threads == 2 && c.split; (info.BatchSplit > 0) != want {
					t.Fatalf("threads %d: BatchSplit %d, want a split: %v", threads, info.BatchSplit, want)
				}
			}
			for o := range outs[0] {
				if !tensor.Equal(outs[0][o], outs[1][o]) {
					t.Fatalf("output %d: 2 threads %v, 1 thread %v", o, outs[1][o].Float32s(), outs[0][o].Float32s())
				}
			}
		})
	}
}

// TestBatchSplitRealModels checks that the CNN checkpoints split their
// batch on 2 threads without allocating, that a cancelled split call
// returns the context's error, and that the next call is still exact.
func TestBatchSplitRealModels(t *testing.T) {
	for _, name := range []string{"gluoncv-cifar-resnet20-v1", "insightface-gender-age"} {
		t.Run(name, func(t *testing.T) {
			c := findCase(t, name)
			ck, one := loadCheckpoint(t, c)
			samples := make([]*tensor.Tensor, 8)
			for p := range samples {
				samples[p] = rotated(t, one, 5*p)
			}
			many := stackSamples(t, samples, 0)
			bind := func(threads int) *executor.Model {
				opts := []executor.Option{executor.WithThreads(threads)}
				if len(c.Heads) > 0 {
					opts = append(opts, executor.WithOutputs(c.Heads...))
				}
				m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{c.InputName: many.Shape()}, opts...)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			ref, err := bind(1).Predict(context.Background(), []*tensor.Tensor{many}, nil)
			if err != nil {
				t.Fatal(err)
			}
			m := bind(2)
			ctx := context.Background()
			inputs := []*tensor.Tensor{many}
			out, err := m.Predict(ctx, inputs, nil)
			if err != nil {
				t.Fatal(err)
			}
			if info := m.PlanInfo(); info.BatchSplit != 2 {
				t.Fatalf("BatchSplit %d, want 2", info.BatchSplit)
			} else {
				t.Logf("batch 8 on 2 threads: chunks of up to %d samples", info.ChunkRows)
			}
			// A slice literal per call must not escape either.
			if allocs := testing.AllocsPerRun(5, func() {
				if out, err = m.Predict(ctx, []*tensor.Tensor{many}, out); err != nil {
					t.Fatal(err)
				}
			}); allocs != 0 {
				t.Errorf("%v allocations per split Predict, want 0", allocs)
			}
			cctx, cancel := context.WithCancel(ctx)
			_, err = m.Predict(&cancelAfter{Context: cctx, cancel: cancel, n: 3}, inputs, nil)
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Predict cancelled at its third check: %v, want context.Canceled", err)
			}
			if out, err = m.Predict(ctx, inputs, out); err != nil {
				t.Fatal(err)
			}
			for o := range ref {
				if !tensor.Equal(ref[o], out[o]) {
					t.Fatalf("output %d differs from the 1-thread model's", o)
				}
			}
		})
	}
}

// cancelAfter is a context that cancels itself at its n-th Err call (the
// kernels' polls), wherever the goroutines are: a timer could fire only
// after the whole call, since the busy goroutines leave no P to run it.
type cancelAfter struct {
	context.Context
	cancel func()
	n      int32
	calls  atomic.Int32
}

func (c *cancelAfter) Err() error {
	if c.calls.Add(1) == c.n {
		c.cancel()
	}
	return c.Context.Err()
}
