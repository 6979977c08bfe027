package ops_test

import (
	"math"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

func TestSoftmaxOutputForward(t *testing.T) {
	flat := func(x *tensor.Tensor) *tensor.Tensor {
		y, _ := x.Reshape(x.Dim(0), x.Len()/x.Dim(0))
		return y
	}
	cases := []struct {
		name  string
		shape []int
		label []int
		attrs map[string]string
		train bool
		// want computes the reference from x.
		want func(x *tensor.Tensor) []float64
	}{
		{"2d", []int{3, 5}, []int{3}, nil, false,
			func(x *tensor.Tensor) []float64 { return softmaxRef(x, -1, 1, false, nil) }},
		{"1d-onednn-last-axis", []int{6}, []int{}, nil, false,
			func(x *tensor.Tensor) []float64 { return softmaxRef(x, 0, 1, false, nil) }},
		{"4d-onednn-last-axis", []int{2, 3, 2, 4}, []int{2, 3, 2}, nil, false,
			func(x *tensor.Tensor) []float64 { return softmaxRef(x, -1, 1, false, nil) }},
		{"4d-train-flattened", []int{2, 3, 2, 4}, []int{2, 3, 2}, nil, true,
			func(x *tensor.Tensor) []float64 { return softmaxRef(flat(x), -1, 1, false, nil) }},
		{"3d-flattened", []int{2, 3, 4}, []int{2, 3}, nil, false,
			func(x *tensor.Tensor) []float64 { return softmaxRef(flat(x), -1, 1, false, nil) }},
		{"3d-preserve-shape", []int{2, 3, 4}, []int{2, 3}, map[string]string{"preserve_shape": "True"}, false,
			func(x *tensor.Tensor) []float64 { return softmaxRef(x, -1, 1, false, nil) }},
		{"multi-output", []int{2, 3, 4}, []int{2, 4}, map[string]string{"multi_output": "True"}, false,
			func(x *tensor.Tensor) []float64 { return softmaxRef(x, 1, 1, false, nil) }},
		{"multi-output-4d", []int{2, 3, 2, 2}, []int{2, 4}, map[string]string{"multi_output": "1"}, false,
			func(x *tensor.Tensor) []float64 { return softmaxRef(x, 1, 1, false, nil) }},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := kaRand(uint64(i), 1, c.shape...)
			label, err := tensor.New(tensor.Float32, c.label...)
			if err != nil {
				t.Fatal(err)
			}
			out, err := opstest.Run("SoftmaxOutput", c.attrs, []*tensor.Tensor{x, label}, &opstest.Options{Train: c.train})
			if err != nil {
				t.Fatal(err)
			}
			kaCheck(t, c.name, out[0], c.shape, c.want(x), 1e-5, 1e-6)
			if !c.train {
				kaNoAllocs(t, "SoftmaxOutput", c.attrs, x, label)
			}
		})
	}
}

func TestRegressionOutputForward(t *testing.T) {
	x := kaT([]int{3, 1}, -2, 0, 3)
	label := kaT([]int{3}, 0, 0, 0)
	for _, name := range []string{"LinearRegressionOutput", "MAERegressionOutput"} {
		out := kaRun(t, name, nil, x, label)
		kaCheck(t, name, out[0], []int{3, 1}, []float64{-2, 0, 3}, 0, 0)
		kaNoAllocs(t, name, nil, x, label)
	}
	y := kaRand(9, 1, 2, 3)
	want := kaF64(y)
	for i, v := range want {
		want[i] = 1 / (1 + math.Exp(-v))
	}
	out := kaRun(t, "LogisticRegressionOutput", nil, y, kaRand(1, 1, 2, 3))
	kaCheck(t, "logistic", out[0], []int{2, 3}, want, 1e-6, 0)
	kaNoAllocs(t, "LogisticRegressionOutput", nil, y, kaRand(1, 1, 2, 3))
}
