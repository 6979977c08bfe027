package ops_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// softmaxRef is a float64 softmax (or log_softmax) along axis with
// temperature; lengths (nil: all) limit each lane, zeroing the rest.
func softmaxRef(x *tensor.Tensor, axis int, temp float64, log bool, lengths []int) []float64 {
	outer, n, inner := kbSplit(x.Shape(), axis)
	xv := kaF64(x)
	res := make([]float64, len(xv))
	for o := range outer {
		for i := range inner {
			m := n
			if lengths != nil {
				m = lengths[o*inner+i]
			}
			at := func(j int) int { return (o*n+j)*inner + i }
			if m == 0 {
				continue
			}
			mx := math.Inf(-1)
			for j := range m {
				mx = math.Max(mx, xv[at(j)])
			}
			s := 0.0
			for j := range m {
				s += math.Exp((xv[at(j)] - mx) / temp)
			}
			for j := range m {
				if log {
					res[at(j)] = (xv[at(j)]-mx)/temp - math.Log(s)
				} else {
					res[at(j)] = math.Exp((xv[at(j)]-mx)/temp) / s
				}
			}
		}
	}
	return res
}

func TestSoftmaxForward(t *testing.T) {
	cases := []struct {
		shape   []int
		axis    int
		temp    float64
		lengths []int
	}{
		{[]int{2, 3, 4}, -1, 0, nil},
		{[]int{2, 3, 4}, 1, 0, nil},
		{[]int{2, 3, 4}, 0, 2.5, nil},
		{[]int{7}, 0, 0.5, nil},
		{[]int{3, 4}, -1, 0, []int{2, 0, 4}},
		{[]int{3, 2}, 0, 3, []int{1, 3}},
		{[]int{5}, -1, 0, []int{3}},
		// Channel axes of NCHW data (softmaxColumns): positions in blocks
		// of 1024, a partial last block, a temperature.
		{[]int{2, 3, 1500}, 1, 0, nil},
		{[]int{2, 5, 7, 9}, 1, 1.7, nil},
		{[]int{1, 2, 35, 40}, 1, 0, nil},
	}
	for i, c := range cases {
		for _, op := range []string{"softmax", "log_softmax"} {
			t.Run(fmt.Sprint(op, i), func(t *testing.T) {
				x := kaRand(uint64(i), 1, c.shape...)
				for j := range x.Float32s() {
					x.Float32s()[j] *= 5
				}
				attrs := map[string]string{"axis": fmt.Sprint(c.axis)}
				temp := 1.0
				if c.temp != 0 {
					temp = c.temp
					attrs["temperature"] = fmt.Sprint(c.temp)
				}
				in := []*tensor.Tensor{x}
				if c.lengths != nil {
					attrs["use_length"] = "True"
					l := make([]float32, len(c.lengths))
					for j, v := range c.lengths {
						l[j] = float32(v)
					}
					outer, _, inner := kbSplit(c.shape, c.axis)
					shape := []int{outer * inner}
					if len(c.shape) == 2 {
						shape = []int{c.shape[1-((c.axis+2)%2)]}
					}
					in = append(in, kaT(shape, l...))
				}
				out := kaRun(t, op, attrs, in...)
				want := softmaxRef(x, c.axis, temp, op == "log_softmax", c.lengths)
				kaCheck(t, op, out[0], c.shape, want, 1e-5, 1e-6)
				kaNoAllocs(t, op, attrs, in...)
			})
		}
	}
}

func TestSoftmaxHandChecked(t *testing.T) {
	// Large inputs stay finite (max subtracted).
	x := kaT([]int{1, 2}, 1000, 1001)
	p0 := 1 / (1 + math.E)
	out := kaRun(t, "softmax", nil, x)
	kaCheck(t, "softmax", out[0], []int{1, 2}, []float64{p0, 1 - p0}, 1e-6, 0)
	out = kaRun(t, "log_softmax", nil, x)
	kaCheck(t, "log_softmax", out[0], []int{1, 2}, []float64{math.Log(p0), math.Log(1 - p0)}, 1e-5, 0)
	// NaN propagates through the sum.
	y := kaT([]int{3}, 1, float32(math.NaN()), 2)
	out = kaRun(t, "softmax", nil, y)
	for _, v := range out[0].Float32s() {
		if !math.IsNaN(float64(v)) {
			t.Fatalf("softmax with NaN = %v", out[0].Float32s())
		}
	}
	// A float64 output dtype computes in float64.
	out, err := opstest.Run("softmax", map[string]string{"dtype": "float64"}, []*tensor.Tensor{x}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out[0].DType() != tensor.Float64 || math.Abs(out[0].Float64At(0)-p0) > 1e-12 {
		t.Errorf("dtype float64: %v %v, want float64 [%v ...]", out[0], out[0].Float64At(0), p0)
	}
}

func TestSoftmaxActivationForward(t *testing.T) {
	x := kaRand(3, 1, 2, 3, 4)
	out := kaRun(t, "SoftmaxActivation", nil, x)
	kaCheck(t, "instance", out[0], []int{2, 3, 4}, softmaxRef(x, -1, 1, false, nil), 1e-5, 1e-6)
	kaNoAllocs(t, "SoftmaxActivation", nil, x)
	y := kaRand(4, 1, 2, 3, 2, 2)
	attrs := map[string]string{"mode": "channel"}
	out = kaRun(t, "SoftmaxActivation", attrs, y)
	kaCheck(t, "channel", out[0], []int{2, 3, 2, 2}, softmaxRef(y, 1, 1, false, nil), 1e-5, 1e-6)
	kaNoAllocs(t, "SoftmaxActivation", attrs, y)
	z := kaRand(5, 1, 2, 3)
	if _, err := opstest.Run("SoftmaxActivation", attrs, []*tensor.Tensor{z}, nil); err == nil || !strings.Contains(err.Error(), "at least 3 dims") {
		t.Errorf("channel on 2-D: err = %v", err)
	}
}
