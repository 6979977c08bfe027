package ops_test

import (
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// upRef is nearest upsampling of NCHW x to oh×ow in float64.
func upRef(x *tensor.Tensor, oh, ow int) []float64 {
	n, c, h, w := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	xv := kbF64(x)
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
	x := kbTensor([]int{1, 1, 2, 2}, 1, 2, 3, 4)
	attrs := map[string]string{"scale": "2", "sample_type": "nearest", "num_args": "1"}
	out := kbRun(t, "UpSampling", attrs, x)
	kbCheck(t, "hand", out[0], []int{1, 1, 4, 4}, []float64{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, 0, 0)
	kbNoAllocs(t, "UpSampling", attrs, x)

	// Two inputs: the second already at half the output size.
	a, b := kbRand(1, 2, 3, 3, 5), kbRand(2, 2, 2, 1, 5)
	concat := map[string]string{"scale": "3", "sample_type": "nearest", "num_args": "2"}
	out = kbRun(t, "UpSampling", concat, a, b)
	ra, rb := upRef(a, 9, 15), upRef(b, 9, 15)
	var want []float64
	for n := range 2 {
		want = append(want, ra[n*3*135:(n+1)*3*135]...)
		want = append(want, rb[n*2*135:(n+1)*2*135]...)
	}
	kbCheck(t, "concat", out[0], []int{2, 5, 9, 15}, want, 0, 0)
	kbNoAllocs(t, "UpSampling", concat, a, b)

	c := kbRand(3, 2, 3, 9, 15)
	sum := map[string]string{"scale": "3", "sample_type": "nearest", "num_args": "2", "multi_input_mode": "sum"}
	out = kbRun(t, "UpSampling", sum, a, c)
	rc := upRef(c, 9, 15)
	for i := range ra {
		rc[i] += ra[i]
	}
	kbCheck(t, "sum", out[0], []int{2, 3, 9, 15}, rc, 1e-6, 0)

	_, err := opstest.Run("UpSampling", map[string]string{"scale": "2", "sample_type": "bilinear", "num_args": "1", "num_filter": "1"},
		[]*tensor.Tensor{x, kbRand(4, 1, 1, 4, 4)}, nil)
	if err == nil || !strings.Contains(err.Error(), "bilinear") {
		t.Errorf("bilinear: err = %v", err)
	}
}
