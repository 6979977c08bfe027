package ops_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// kbSplit returns (outer, mid, inner) of shape around axis.
func kbSplit(shape []int, axis int) (int, int, int) {
	if axis < 0 {
		axis += len(shape)
	}
	outer, inner := 1, 1
	for i, d := range shape {
		if i < axis {
			outer *= d
		} else if i > axis {
			inner *= d
		}
	}
	return outer, shape[axis], inner
}

func TestBatchNormForward(t *testing.T) {
	cases := []struct {
		shape    []int
		axis     int
		fixGamma bool
		eps      float64 // 0: default
		train    bool
		global   bool
	}{
		{shape: []int{2, 3, 4, 5}, axis: 1, fixGamma: true},
		{shape: []int{2, 3, 4, 5}, axis: 1},
		{shape: []int{2, 3, 4}, axis: -1, eps: 1e-5},
		{shape: []int{3, 2}, axis: 0},
		{shape: []int{4, 3}, axis: 1},
		{shape: []int{1, 5, 3, 3}, axis: 1, train: true},
		{shape: []int{2, 3, 2, 2}, axis: 1, train: true, fixGamma: true},
		{shape: []int{2, 3, 2, 2}, axis: 1, train: true, global: true},
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			x := kaRand(uint64(i), 1, c.shape...)
			_, ch, _ := kbSplit(c.shape, c.axis)
			gamma, beta, mm := kaRand(uint64(i+10), 1, ch), kaRand(uint64(i+20), 1, ch), kaRand(uint64(i+30), 1, ch)
			mv := kaRand(uint64(i+40), 1, ch)
			for j := range mv.Float32s() {
				mv.Float32s()[j] = mv.Float32s()[j]*mv.Float32s()[j] + 0.1
			}
			attrs := map[string]string{"axis": fmt.Sprint(c.axis), "fix_gamma": fmt.Sprint(c.fixGamma),
				"use_global_stats": fmt.Sprint(c.global)}
			eps := 0.0010000000474974513
			if c.eps != 0 {
				eps = c.eps
				attrs["eps"] = fmt.Sprint(c.eps)
			}
			in := []*tensor.Tensor{x, gamma, beta, mm, mv}
			orig := x.Clone()
			out, err := opstest.Run("BatchNorm", attrs, in, &opstest.Options{Train: c.train})
			if err != nil {
				t.Fatal(err)
			}
			if !tensor.Equal(x, orig) {
				t.Fatal("data modified")
			}
			outer, _, inner := kbSplit(c.shape, c.axis)
			xv := kaF64(x)
			mean, inv := make([]float64, ch), make([]float64, ch)
			for k := range ch {
				if c.train && !c.global {
					s, ss := 0.0, 0.0
					for o := range outer {
						for j := range inner {
							s += xv[(o*ch+k)*inner+j]
						}
					}
					m := s / float64(outer*inner)
					for o := range outer {
						for j := range inner {
							d := xv[(o*ch+k)*inner+j] - m
							ss += d * d
						}
					}
					mean[k], inv[k] = m, 1/math.Sqrt(ss/float64(outer*inner)+eps)
				} else {
					mean[k], inv[k] = mm.Float64At(k), 1/math.Sqrt(mv.Float64At(k)+eps)
				}
			}
			want := make([]float64, len(xv))
			for o := range outer {
				for k := range ch {
					g := gamma.Float64At(k)
					if c.fixGamma {
						g = 1
					}
					for j := range inner {
						idx := (o*ch+k)*inner + j
						want[idx] = (xv[idx]-mean[k])*inv[k]*g + beta.Float64At(k)
					}
				}
			}
			kaCheck(t, "output", out[0], c.shape, want, 1e-5, 1e-5)
			kaCheck(t, "mean", out[1], []int{ch}, mean, 1e-5, 1e-6)
			kaCheck(t, "var(invstd)", out[2], []int{ch}, inv, 1e-5, 1e-6)
			if !c.train {
				kaNoAllocs(t, "BatchNorm", attrs, in...)
			}
		})
	}
}

func TestBatchNormHandChecked(t *testing.T) {
	// One channel: mean 1, var 3 (eps 1 -> invstd 0.5), gamma 2, beta 10.
	x := kaT([]int{1, 1, 3}, 1, 3, -1)
	out := kaRun(t, "BatchNorm", map[string]string{"eps": "1", "fix_gamma": "False"},
		x, kaT([]int{1}, 2), kaT([]int{1}, 10), kaT([]int{1}, 1), kaT([]int{1}, 3))
	kaCheck(t, "output", out[0], []int{1, 1, 3}, []float64{10, 12, 8}, 0, 0)
	kaCheck(t, "var", out[2], []int{1}, []float64{0.5}, 0, 0)
}

func TestLayerNormForward(t *testing.T) {
	cases := []struct {
		shape []int
		axis  int
		eps   float64
	}{
		{[]int{2, 3, 5}, -1, 0},
		{[]int{2, 4, 3}, 1, 1e-3},
		{[]int{3, 2}, 0, 0},
		{[]int{7}, 0, 0},
		{[]int{2, 2, 3, 2}, -2, 0.5},
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			x := kaRand(uint64(i), 1, c.shape...)
			outer, n, inner := kbSplit(c.shape, c.axis)
			gamma, beta := kaRand(uint64(i+10), 1, n), kaRand(uint64(i+20), 1, n)
			attrs := map[string]string{"axis": fmt.Sprint(c.axis)}
			eps := float64(float32(1e-5))
			if c.eps != 0 {
				eps = c.eps
				attrs["eps"] = fmt.Sprint(c.eps)
			}
			out := kaRun(t, "LayerNorm", attrs, x, gamma, beta)
			xv := kaF64(x)
			want := make([]float64, len(xv))
			means, stds := make([]float64, outer*inner), make([]float64, outer*inner)
			for o := range outer {
				for j := range inner {
					s := 0.0
					for a := range n {
						s += xv[(o*n+a)*inner+j]
					}
					m := s / float64(n)
					ss := 0.0
					for a := range n {
						d := xv[(o*n+a)*inner+j] - m
						ss += d * d
					}
					sd := math.Sqrt(ss/float64(n) + eps)
					means[o*inner+j], stds[o*inner+j] = m, sd
					for a := range n {
						idx := (o*n+a)*inner + j
						want[idx] = (xv[idx]-m)/sd*gamma.Float64At(a) + beta.Float64At(a)
					}
				}
			}
			ms := append([]int(nil), c.shape...)
			a := c.axis
			if a < 0 {
				a += len(ms)
			}
			ms[a] = 1
			kaCheck(t, "output", out[0], c.shape, want, 1e-4, 1e-5)
			kaCheck(t, "mean", out[1], ms, means, 1e-5, 1e-6)
			kaCheck(t, "std", out[2], ms, stds, 1e-5, 1e-6)
			kaNoAllocs(t, "LayerNorm", attrs, x, gamma, beta)
		})
	}
}
