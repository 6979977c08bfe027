package ops_test

import (
	"fmt"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// deconvRef scatters x (N, C, in...) through weight (C, F/groups, k...) in
// float64: out[n, f, i·s − p + k·d] += x[n, c, i]·w[c, f, k], then bias.
func deconvRef(x, w, b *tensor.Tensor, oshape []int, stride, pad, dilate []int, groups int) []float64 {
	xs, ws := x.Shape(), w.Shape()
	k := len(xs) - 2
	n, c, f := xs[0], xs[1], oshape[1]
	cg, fg := c/groups, f/groups
	pad3 := func(v []int, fill int) [3]int {
		r := [3]int{fill, fill, fill}
		copy(r[3-k:], v)
		return r
	}
	in, out, ks := pad3(xs[2:], 1), pad3(oshape[2:], 1), pad3(ws[2:], 1)
	s, p, d := pad3(stride, 1), pad3(pad, 0), pad3(dilate, 1)
	osz := out[0] * out[1] * out[2]
	res := make([]float64, n*f*osz)
	xv, wv := kaF64(x), kaF64(w)
	for ni := range n {
		for ci := range c {
			g := ci / cg
			for fl := range fg {
				fi := g*fg + fl
				for i0 := range in[0] {
					for i1 := range in[1] {
						for i2 := range in[2] {
							xval := xv[(((ni*c+ci)*in[0]+i0)*in[1]+i1)*in[2]+i2]
							for a := range ks[0] {
								for bb := range ks[1] {
									for cc := range ks[2] {
										o0, o1, o2 := i0*s[0]-p[0]+a*d[0], i1*s[1]-p[1]+bb*d[1], i2*s[2]-p[2]+cc*d[2]
										if o0 < 0 || o0 >= out[0] || o1 < 0 || o1 >= out[1] || o2 < 0 || o2 >= out[2] {
											continue
										}
										wi := (((ci*fg+fl)*ks[0]+a)*ks[1]+bb)*ks[2] + cc
										res[(ni*f+fi)*osz+(o0*out[1]+o1)*out[2]+o2] += xval * wv[wi]
									}
								}
							}
						}
					}
				}
			}
		}
	}
	if b != nil {
		for i := range res {
			res[i] += b.Float64At(i / osz % f)
		}
	}
	return res
}

func TestDeconvolutionForward(t *testing.T) {
	cases := []struct {
		name                     string
		data, kernel             []int
		filters, groups          int
		stride, pad, dilate, adj []int
		target                   []int
		bias                     bool
		refPad                   []int // effective pad when target is set
	}{
		{name: "up2", data: []int{1, 2, 3, 4}, kernel: []int{4, 4}, filters: 3, groups: 1, stride: []int{2, 2}, pad: []int{1, 1}, bias: true},
		{name: "plain", data: []int{2, 3, 4, 3}, kernel: []int{3, 2}, filters: 2, groups: 1},
		{name: "adj", data: []int{1, 2, 3, 3}, kernel: []int{3, 3}, filters: 2, groups: 1, stride: []int{2, 2}, pad: []int{1, 1}, adj: []int{1, 0}, bias: true},
		{name: "groups-dilate", data: []int{1, 4, 3, 4}, kernel: []int{2, 3}, filters: 6, groups: 2, dilate: []int{2, 1}, stride: []int{1, 2}},
		{name: "depthwise-bilinear-like", data: []int{1, 3, 4, 4}, kernel: []int{4, 4}, filters: 3, groups: 3, stride: []int{2, 2}, pad: []int{1, 1}},
		{name: "target", data: []int{1, 2, 3, 3}, kernel: []int{3, 3}, filters: 2, groups: 1, stride: []int{2, 2}, target: []int{6, 5}, refPad: []int{1, 1}},
		{name: "1d", data: []int{2, 3, 5}, kernel: []int{3}, filters: 2, groups: 1, stride: []int{3}, pad: []int{1}, bias: true},
		{name: "3d", data: []int{1, 2, 2, 3, 2}, kernel: []int{2, 2, 3}, filters: 2, groups: 1, stride: []int{2, 1, 2}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := kaRand(uint64(i), 1, c.data...)
			w := kaRand(uint64(50+i), 1, append([]int{c.data[1], c.filters / c.groups}, c.kernel...)...)
			attrs := map[string]string{"kernel": tupleStr(c.kernel), "num_filter": fmt.Sprint(c.filters),
				"num_group": fmt.Sprint(c.groups), "no_bias": fmt.Sprint(!c.bias)}
			for key, v := range map[string][]int{"stride": c.stride, "pad": c.pad, "dilate": c.dilate, "adj": c.adj, "target_shape": c.target} {
				if v != nil {
					attrs[key] = tupleStr(v)
				}
			}
			in := []*tensor.Tensor{x, w}
			var b *tensor.Tensor
			if c.bias {
				b = kaRand(uint64(90+i), 1, c.filters)
				in = append(in, b)
			}
			out := kaRun(t, "Deconvolution", attrs, in...)
			pad := c.pad
			if c.refPad != nil {
				pad = c.refPad
			}
			// Expected output shape from the formula.
			oshape := []int{c.data[0], c.filters}
			for j, k := range c.kernel {
				s, p, d, a := 1, 0, 1, 0
				if c.stride != nil {
					s = c.stride[j]
				}
				if pad != nil {
					p = pad[j]
				}
				if c.dilate != nil {
					d = c.dilate[j]
				}
				if c.adj != nil {
					a = c.adj[j]
				}
				if c.target != nil {
					tt := s*(c.data[2+j]-1) + d*(k-1) + 1 - c.target[j]
					a = tt % 2
				}
				oshape = append(oshape, s*(c.data[2+j]-1)+d*(k-1)+1-2*p+a)
			}
			want := deconvRef(x, w, b, oshape, c.stride, pad, c.dilate, c.groups)
			kaCheck(t, c.name, out[0], oshape, want, 1e-5, 1e-5)
			kaNoAllocs(t, "Deconvolution", attrs, in...)
		})
	}
}

func TestDeconvolutionHandChecked(t *testing.T) {
	// 1-D stride 2, kernel (1, 2): each input spreads to two outputs.
	x := kaT([]int{1, 1, 3}, 1, 2, 3)
	w := kaT([]int{1, 1, 2}, 1, 10)
	out := kaRun(t, "Deconvolution", map[string]string{"kernel": "(2,)", "stride": "(2,)", "num_filter": "1"}, x, w)
	kaCheck(t, "1d", out[0], []int{1, 1, 6}, []float64{1, 10, 2, 20, 3, 30}, 0, 0)
}
