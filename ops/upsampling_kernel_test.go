package ops_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// upRef is nearest upsampling of NCHW x to oh×ow in float64.
func upRef(x *tensor.Tensor, oh, ow int) []float64 {
	n, c, h, w := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	xv := kaF64(x)
	var res []float64
	for b := range n {
		for k := range c {
			for i := range oh {
				for j := range ow {
					res = append(res, xv[((b*c+k)*h+i*h/oh)*w+j*w/ow])
				}
			}
		}
	}
	return res
}

func TestUpSamplingForward(t *testing.T) {
	x := kaT([]int{1, 1, 2, 2}, 1, 2, 3, 4)
	attrs := map[string]string{"scale": "2", "sample_type": "nearest", "num_args": "1"}
	out := kaRun(t, "UpSampling", attrs, x)
	kaCheck(t, "hand", out[0], []int{1, 1, 4, 4}, []float64{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, 0, 0)
	kaNoAllocs(t, "UpSampling", attrs, x)

	// Two inputs: the second already at half the output size.
	a, b := kaRand(1, 1, 2, 3, 3, 5), kaRand(2, 1, 2, 2, 1, 5)
	concat := map[string]string{"scale": "3", "sample_type": "nearest", "num_args": "2"}
	out = kaRun(t, "UpSampling", concat, a, b)
	ra, rb := upRef(a, 9, 15), upRef(b, 9, 15)
	var want []float64
	for n := range 2 {
		want = append(want, ra[n*3*135:(n+1)*3*135]...)
		want = append(want, rb[n*2*135:(n+1)*2*135]...)
	}
	kaCheck(t, "concat", out[0], []int{2, 5, 9, 15}, want, 0, 0)
	kaNoAllocs(t, "UpSampling", concat, a, b)

	c := kaRand(3, 1, 2, 3, 9, 15)
	sum := map[string]string{"scale": "3", "sample_type": "nearest", "num_args": "2", "multi_input_mode": "sum"}
	out = kaRun(t, "UpSampling", sum, a, c)
	rc := upRef(c, 9, 15)
	for i := range ra {
		rc[i] += ra[i]
	}
	kaCheck(t, "sum", out[0], []int{2, 3, 9, 15}, rc, 1e-6, 0)
}

func TestUpSamplingBilinear(t *testing.T) {
	for _, scale := range []int{2, 3} {
		k := 2*scale - scale%2
		x := kaRand(uint64(scale), 1, 2, 3, 4, 5)
		w := kaRand(uint64(10+scale), 1, 3, 1, k, k)
		attrs := map[string]string{"scale": fmt.Sprint(scale), "sample_type": "bilinear", "num_args": "1", "num_filter": "3"}
		out := kaRun(t, "UpSampling", attrs, x, w)
		pad := (scale + 1) / 2
		if scale%2 == 1 {
			pad = (scale - 1) / 2
		}
		oshape := []int{2, 3, 4 * scale, 5 * scale}
		want := deconvRef(x, w, nil, oshape, []int{scale, scale}, []int{pad, pad}, nil, 3)
		kaCheck(t, fmt.Sprint("scale ", scale), out[0], oshape, want, 1e-5, 1e-6)
		kaNoAllocs(t, "UpSampling", attrs, x, w)
	}
	// MXNet's bilinear weight for scale 2 (rows 0.25 0.75 0.75 0.25)
	// reproduces a constant input away from the border.
	one := make([]float32, 9)
	for i := range one {
		one[i] = 1
	}
	f := []float64{0.25, 0.75, 0.75, 0.25}
	wv := make([]float32, 16)
	for i := range 4 {
		for j := range 4 {
			wv[i*4+j] = float32(f[i] * f[j])
		}
	}
	out := kaRun(t, "UpSampling", map[string]string{"scale": "2", "sample_type": "bilinear", "num_args": "1", "num_filter": "1"},
		kaT([]int{1, 1, 3, 3}, one...), kaT([]int{1, 1, 4, 4}, wv...))
	for i := 1; i < 5; i++ {
		for j := 1; j < 5; j++ {
			if v := out[0].Float32s()[i*6+j]; v != 1 {
				t.Fatalf("interior (%d,%d) = %g, want 1", i, j, v)
			}
		}
	}
	_, err := opstest.Run("UpSampling", map[string]string{"scale": "2", "sample_type": "bilinear", "num_args": "1", "num_filter": "2"},
		[]*tensor.Tensor{kaRand(1, 1, 1, 1, 2, 2), kaRand(4, 1, 1, 1, 4, 4)}, nil)
	if err == nil || !strings.Contains(err.Error(), "num_filter") {
		t.Errorf("num_filter mismatch: err = %v", err)
	}
}
