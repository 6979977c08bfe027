package ops_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// convRef is a naive float64 convolution of channel-first data with 1-3
// spatial dims; weight (F, C/groups, k...), bias nil or (F,).
func convRef(x, w, b *tensor.Tensor, stride, pad, dilate []int, groups int) ([]int, []float64) {
	xs, ws := x.Shape(), w.Shape()
	k := len(xs) - 2
	pad3 := func(v []int, fill int) [3]int {
		r := [3]int{fill, fill, fill}
		copy(r[3-k:], v)
		return r
	}
	in, ks := pad3(xs[2:], 1), pad3(ws[2:], 1)
	s, p, d := pad3(stride, 1), pad3(pad, 0), pad3(dilate, 1)
	var out [3]int
	oshape := []int{xs[0], ws[0]}
	for i := range 3 {
		out[i] = (in[i]+2*p[i]-d[i]*(ks[i]-1)-1)/s[i] + 1
		if i >= 3-k {
			oshape = append(oshape, out[i])
		}
	}
	n, c, f := xs[0], xs[1], ws[0]
	cg, fg := c/groups, f/groups
	xv, wv := kaF64(x), kaF64(w)
	var res []float64
	for ni := range n {
		for fi := range f {
			g := fi / fg
			for o0 := range out[0] {
				for o1 := range out[1] {
					for o2 := range out[2] {
						sum := 0.0
						if b != nil {
							sum = b.Float64At(fi)
						}
						for ci := range cg {
							for a := range ks[0] {
								for bb := range ks[1] {
									for cc := range ks[2] {
										i0 := o0*s[0] - p[0] + a*d[0]
										i1 := o1*s[1] - p[1] + bb*d[1]
										i2 := o2*s[2] - p[2] + cc*d[2]
										if i0 < 0 || i0 >= in[0] || i1 < 0 || i1 >= in[1] || i2 < 0 || i2 >= in[2] {
											continue
										}
										xi := (((ni*c+g*cg+ci)*in[0]+i0)*in[1]+i1)*in[2] + i2
										wi := (((fi*cg+ci)*ks[0]+a)*ks[1]+bb)*ks[2] + cc
										sum += xv[xi] * wv[wi]
									}
								}
							}
						}
						res = append(res, sum)
					}
				}
			}
		}
	}
	return oshape, res
}

func tupleStr(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return "(" + strings.Join(s, ",") + ")"
}

func TestConvolutionForward(t *testing.T) {
	cases := []struct {
		name                string
		data, kernel        []int
		filters, groups     int
		stride, pad, dilate []int
		noBias              bool
	}{
		{"lenet", []int{1, 1, 12, 12}, []int{5, 5}, 4, 1, nil, nil, nil, false},
		{"odd-stride-pad", []int{2, 3, 7, 6}, []int{3, 2}, 5, 1, []int{2, 1}, []int{1, 1}, nil, false},
		{"stride3-pad2", []int{1, 2, 9, 8}, []int{3, 3}, 3, 1, []int{3, 2}, []int{2, 0}, nil, true},
		{"dilate", []int{1, 2, 9, 10}, []int{3, 3}, 3, 1, nil, []int{2, 1}, []int{2, 3}, false},
		{"groups", []int{2, 4, 6, 5}, []int{3, 3}, 6, 2, nil, []int{1, 1}, nil, false},
		{"depthwise", []int{2, 3, 6, 7}, []int{3, 3}, 3, 3, nil, []int{1, 1}, nil, false},
		{"depthwise-mult-stride", []int{1, 3, 7, 7}, []int{3, 3}, 6, 3, []int{2, 2}, []int{1, 1}, []int{1, 2}, true},
		{"depthwise-stride1x2", []int{1, 4, 5, 9}, []int{3, 2}, 4, 4, []int{1, 2}, []int{0, 1}, nil, false},
		{"pointwise", []int{2, 5, 3, 4}, []int{1, 1}, 7, 1, nil, nil, nil, false},
		{"pointwise-groups", []int{1, 4, 3, 3}, []int{1, 1}, 4, 2, nil, nil, nil, true},
		{"1x1-stride2", []int{1, 3, 5, 5}, []int{1, 1}, 2, 1, []int{2, 2}, nil, nil, false},
		{"kernel-covers-pad", []int{1, 1, 2, 2}, []int{3, 3}, 2, 1, []int{1, 1}, []int{2, 2}, nil, false},
		{"1d", []int{2, 3, 10}, []int{3}, 4, 1, []int{2}, []int{1}, nil, false},
		{"1d-dilate-groups", []int{1, 4, 11}, []int{2}, 2, 2, nil, []int{1}, []int{3}, false},
		{"3d", []int{1, 2, 4, 5, 3}, []int{2, 3, 2}, 3, 1, []int{1, 2, 1}, []int{1, 0, 1}, nil, false},
		{"3d-depthwise", []int{1, 2, 3, 4, 4}, []int{3, 3, 3}, 2, 2, nil, []int{1, 1, 1}, nil, false},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := kaRand(uint64(i), 1, c.data...)
			w := kaRand(uint64(100+i), 1, append([]int{c.filters, c.data[1] / c.groups}, c.kernel...)...)
			attrs := map[string]string{"kernel": tupleStr(c.kernel), "num_filter": fmt.Sprint(c.filters),
				"num_group": fmt.Sprint(c.groups), "no_bias": fmt.Sprint(c.noBias)}
			if c.stride != nil {
				attrs["stride"] = tupleStr(c.stride)
			}
			if c.pad != nil {
				attrs["pad"] = tupleStr(c.pad)
			}
			if c.dilate != nil {
				attrs["dilate"] = tupleStr(c.dilate)
			}
			in := []*tensor.Tensor{x, w}
			var b *tensor.Tensor
			if !c.noBias {
				b = kaRand(uint64(200+i), 1, c.filters)
				in = append(in, b)
			}
			out := kaRun(t, "Convolution", attrs, in...)
			shape, want := convRef(x, w, b, c.stride, c.pad, c.dilate, c.groups)
			kaCheck(t, c.name, out[0], shape, want, 1e-5, 1e-5)
			kaNoAllocs(t, "Convolution", attrs, in...)
		})
	}
}

func TestConvolutionHandChecked(t *testing.T) {
	// 1x1x3x3 data 1..9, 2x2 kernel of ones, bias 0.5: window sums + 0.5.
	x := kaT([]int{1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9)
	w := kaT([]int{1, 1, 2, 2}, 1, 1, 1, 1)
	b := kaT([]int{1}, 0.5)
	out := kaRun(t, "Convolution", map[string]string{"kernel": "(2,2)", "num_filter": "1"}, x, w, b)
	kaCheck(t, "sums", out[0], []int{1, 1, 2, 2}, []float64{12.5, 16.5, 24.5, 28.5}, 0, 0)
}

func TestConvolutionErrors(t *testing.T) {
	x := kaRand(1, 1, 1, 4, 4, 2)
	w := kaRand(2, 1, 3, 3, 3, 2)
	_, err := opstest.Run("Convolution", map[string]string{"kernel": "(3,3)", "num_filter": "3", "layout": "NHWC", "no_bias": "1"},
		[]*tensor.Tensor{x, w}, nil)
	if err == nil || !strings.Contains(err.Error(), "layout NHWC") {
		t.Errorf("NHWC: err = %v", err)
	}
	x64, _ := kaRand(1, 1, 1, 2, 4, 4).AsType(tensor.Float64)
	w64, _ := kaRand(2, 1, 3, 2, 3, 3).AsType(tensor.Float64)
	_, err = opstest.Run("Convolution", map[string]string{"kernel": "(3,3)", "num_filter": "3", "no_bias": "1"},
		[]*tensor.Tensor{x64, w64}, nil)
	if err == nil || !strings.Contains(err.Error(), "only float32") {
		t.Errorf("float64: err = %v", err)
	}
}

// TestConvolutionThreadsSplitTheBatch checks the batch-parallel path (one
// goroutine per share of the samples, each with its own im2col scratch)
// gives the same bits as one goroutine, for im2col, pointwise and
// depthwise convolutions.
func TestConvolutionThreadsSplitTheBatch(t *testing.T) {
	for _, c := range []struct {
		attrs map[string]string
		x, w  []int
	}{
		// Each case is above convParallelFlops, so threads > 1 split the batch.
		{map[string]string{"kernel": "(3,3)", "num_filter": "16", "pad": "(1,1)"}, []int{5, 16, 31, 33}, []int{16, 16, 3, 3}},
		{map[string]string{"kernel": "(1,1)", "num_filter": "64", "no_bias": "True"}, []int{3, 64, 32, 32}, []int{64, 64, 1, 1}},
		{map[string]string{"kernel": "(3,3)", "num_filter": "64", "num_group": "64"}, []int{8, 64, 34, 34}, []int{64, 1, 3, 3}},
	} {
		in := []*tensor.Tensor{kaRand(1, 1, c.x...), kaRand(2, 1, c.w...)}
		if c.attrs["no_bias"] != "True" {
			in = append(in, kaRand(3, 1, c.w[0]))
		}
		one, err := opstest.Run("Convolution", c.attrs, in, &opstest.Options{Threads: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, threads := range []int{2, 3, 8} {
			many, err := opstest.Run("Convolution", c.attrs, in, &opstest.Options{Threads: threads})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(one[0].Float32s(), many[0].Float32s()) {
				t.Errorf("%v threads=%d: results differ from one thread", c.attrs, threads)
			}
		}
	}
}
