package executor_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/tensor"
)

// sampleAxis is the input axis that indexes samples where it is not 0:
// the PTB LSTM takes (time, batch) word ids and the go-predictor model a
// (1, n) row whose n values are independent samples.
var sampleAxis = map[string]int{"mms-lstm-ptb": 1, "go-predictor-fc": 1}

// outputOuter is, for models whose outputs are not sample-major, the
// number of blocks of samples in an output: cnocr's rows are time-major
// (T*N, classes): T = 7 and 3 for their 28- and 24-pixel-wide inputs.
var outputOuter = map[string]int{"cnocr-densenet-lite-gru": 7, "cnocr-conv-lstm": 3}

// TestRealModelsBatchInvariant checks, for every real model in testdata,
// that a sample's outputs are bit-identical whether it runs alone or in a
// batch of 7 (at positions 0, 3 and 6, among other samples), with 1 or 2
// threads, under each kernel implementation.
func TestRealModelsBatchInvariant(t *testing.T) {
	const batch = 7
	positions := []int{0, 3, 6}
	for _, c := range loadModelCases(t) {
		t.Run(c.Case, func(t *testing.T) {
			if testing.Short() && c.Case == "mxnet-ssd-mobilenet" {
				t.Skip("-short: the SSD's batch of 7 is slow under emulation; the full run checks it")
			}
			ax := sampleAxis[c.Case]
			in := readNPY(t, filepath.Join("../testdata/models", c.InputFile))
			if in.DType() != tensor.Float32 {
				var err error
				if in, err = in.AsType(tensor.Float32); err != nil {
					t.Fatal(err)
				}
			}
			one := takeSample(t, in, ax, 0)
			// The batch: the sample at positions, elsewhere the sample's
			// values rotated (still in the input's domain, e.g. word ids).
			samples := make([]*tensor.Tensor, batch)
			for p := range samples {
				samples[p] = one
				if !contains(positions, p) {
					samples[p] = rotated(t, one, 7*p+1)
				}
			}
			many := stackSamples(t, samples, ax)
			names := make([]string, len(c.Outputs))
			for i, g := range c.Outputs {
				names[i] = g.Name
			}
			bind := func(x *tensor.Tensor, threads int) *executor.Model {
				m, err := bindCase(t, c, x.Shape(), executor.WithThreads(threads), executor.WithOutputs(names...))
				if err != nil {
					t.Fatalf("batch %d threads %d: %v", x.Dim(ax), threads, err)
				}
				return m
			}
			models := map[[2]int]*executor.Model{}
			for _, threads := range []int{1, 2} {
				models[[2]int{1, threads}] = bind(one, threads)
				models[[2]int{batch, threads}] = bind(many, threads)
			}
			outer := 1
			for _, d := range in.Shape()[:ax] {
				outer *= d
			}
			if o, ok := outputOuter[c.Case]; ok {
				outer = o
			}
			asm.ForEachImpl(func(impl string) {
				ref, err := models[[2]int{1, 1}].Predict(context.Background(), []*tensor.Tensor{one}, nil)
				if err != nil {
					t.Fatalf("%s: %v", impl, err)
				}
				for _, threads := range []int{1, 2} {
					for _, b := range []int{1, batch} {
						x := one
						if b == batch {
							x = many
						}
						out, err := models[[2]int{b, threads}].Predict(context.Background(), []*tensor.Tensor{x}, nil)
						if err != nil {
							t.Fatalf("%s batch %d threads %d: %v", impl, b, threads, err)
						}
						for o := range out {
							pos := positions
							if b == 1 {
								pos = []int{0}
							}
							for _, p := range pos {
								compareSample(t, impl, names[o], b, threads, p, outer, ref[o], out[o])
							}
						}
					}
				}
			})
		})
	}
}

// compareSample checks that sample p of out (a batch of b samples, viewed
// as outer × b × rest) is bit-identical to the only sample of ref.
func compareSample(t *testing.T, impl, name string, b, threads, p, outer int, ref, out *tensor.Tensor) {
	t.Helper()
	r, o := ref.Float32s(), out.Float32s()
	if len(o) != b*len(r) {
		t.Fatalf("%s %s: batch %d output %v, alone %v", impl, name, b, out.Shape(), ref.Shape())
	}
	rest := len(r) / outer
	for q := range outer {
		want := r[q*rest : (q+1)*rest]
		got := o[(q*b+p)*rest : (q*b+p+1)*rest]
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s %s: batch %d threads %d position %d element %d: %g, alone (1 thread) %g (diff %g)",
					impl, name, b, threads, p, q*rest+i, got[i], want[i], got[i]-want[i])
			}
		}
	}
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// takeSample returns index i of x along axis ax, keeping the axis (size 1).
func takeSample(t *testing.T, x *tensor.Tensor, ax, i int) *tensor.Tensor {
	t.Helper()
	sh := x.Shape()
	outer, inner := 1, 1
	for _, d := range sh[:ax] {
		outer *= d
	}
	for _, d := range sh[ax+1:] {
		inner *= d
	}
	nsh := append([]int(nil), sh...)
	nsh[ax] = 1
	y, err := tensor.New(tensor.Float32, nsh...)
	if err != nil {
		t.Fatal(err)
	}
	src, dst := x.Float32s(), y.Float32s()
	for q := range outer {
		copy(dst[q*inner:(q+1)*inner], src[(q*sh[ax]+i)*inner:(q*sh[ax]+i+1)*inner])
	}
	return y
}

// rotated returns x with its values rotated by r positions.
func rotated(t *testing.T, x *tensor.Tensor, r int) *tensor.Tensor {
	t.Helper()
	y, err := tensor.New(tensor.Float32, x.Shape()...)
	if err != nil {
		t.Fatal(err)
	}
	src, dst := x.Float32s(), y.Float32s()
	for i := range dst {
		dst[i] = src[(i+r)%len(src)]
	}
	return y
}

// stackSamples concatenates single-sample tensors along axis ax.
func stackSamples(t *testing.T, xs []*tensor.Tensor, ax int) *tensor.Tensor {
	t.Helper()
	sh := append([]int(nil), xs[0].Shape()...)
	outer := 1
	for _, d := range sh[:ax] {
		outer *= d
	}
	inner := xs[0].Len() / outer
	sh[ax] = len(xs)
	y, err := tensor.New(tensor.Float32, sh...)
	if err != nil {
		t.Fatal(err)
	}
	dst := y.Float32s()
	for q := range outer {
		for p, x := range xs {
			copy(dst[(q*len(xs)+p)*inner:], x.Float32s()[q*inner:(q+1)*inner])
		}
	}
	return y
}

// bindCase binds case c's checkpoint for the given input shape.
func bindCase(t *testing.T, c modelCase, shape []int, opts ...executor.Option) (*executor.Model, error) {
	t.Helper()
	ck, _ := loadCheckpoint(t, c)
	return executor.Bind(ck.Symbol, ck.Args, ck.Aux, map[string][]int{c.InputName: shape}, opts...)
}
