package ops_test

import (
	"math"
	"slices"
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

type poolCase struct {
	name       string
	data       []int // NC-ordered
	kind       string
	kernel     []int
	stride     []int
	pad        []int
	convention string
	noPadCount bool
	pvalue     int
	global     bool
	nhwc       bool
}

// poolRef is a naive float64 pooling of NC-ordered data.
func poolRef(x *tensor.Tensor, c poolCase) ([]int, []float64) {
	xs := x.Shape()
	k := len(xs) - 2
	in := xs[2:]
	ks, s, p := make([]int, k), make([]int, k), make([]int, k)
	out := make([]int, k)
	for i := range k {
		ks[i], s[i] = in[i], 1
		if !c.global {
			ks[i] = c.kernel[i]
			if c.stride != nil {
				s[i] = c.stride[i]
			}
			if c.pad != nil {
				p[i] = c.pad[i]
			}
		}
		switch {
		case c.global:
			out[i] = 1
		case c.convention == "full":
			out[i] = 1 + int(math.Ceil(float64(in[i]+2*p[i]-ks[i])/float64(s[i])))
		case c.convention == "same":
			out[i] = int(math.Ceil(float64(in[i]) / float64(s[i])))
		default:
			out[i] = 1 + (in[i]+2*p[i]-ks[i])/s[i]
		}
	}
	xv := kaF64(x)
	var res []float64
	plane := 1
	for _, v := range in {
		plane *= v
	}
	oplane := 1
	for _, v := range out {
		oplane *= v
	}
	for nc := range xs[0] * xs[1] {
		for o := range oplane {
			// Decode o into per-dim output indices.
			idx := make([]int, k)
			r := o
			for i := k - 1; i >= 0; i-- {
				idx[i] = r % out[i]
				r /= out[i]
			}
			lo, hi := make([]int, k), make([]int, k)
			padded, clipped := 1, 1
			for i := range k {
				start := idx[i]*s[i] - p[i]
				end := min(start+ks[i], in[i]+p[i])
				padded *= end - start
				lo[i], hi[i] = max(start, 0), min(end, in[i])
				clipped *= max(hi[i]-lo[i], 0)
			}
			acc := 0.0
			if c.kind == "max" {
				acc = -math.MaxFloat32
			}
			pos := append([]int(nil), lo...)
			for clipped > 0 {
				flat := 0
				for i := range k {
					flat = flat*in[i] + pos[i]
				}
				v := xv[nc*plane+flat]
				switch c.kind {
				case "max":
					acc = math.Max(acc, v)
				case "lp":
					acc += math.Pow(v, float64(c.pvalue))
				default:
					acc += v
				}
				i := k - 1
				for ; i >= 0; i-- {
					pos[i]++
					if pos[i] < hi[i] {
						break
					}
					pos[i] = lo[i]
				}
				if i < 0 {
					break
				}
			}
			switch c.kind {
			case "avg":
				if c.noPadCount {
					acc /= float64(clipped)
				} else {
					acc /= float64(padded)
				}
			case "lp":
				acc = math.Copysign(math.Pow(math.Abs(acc), 1/float64(c.pvalue)), acc)
			}
			res = append(res, acc)
		}
	}
	return append(xs[:2:2], out...), res
}

// kbNHWC moves the channel axis of an NC-ordered tensor last.
func kbNHWC(x *tensor.Tensor) *tensor.Tensor {
	s := x.Shape()
	n, c := s[0], s[1]
	plane := x.Len() / n / c
	shape := append(append([]int{n}, s[2:]...), c)
	y, _ := tensor.New(tensor.Float32, shape...)
	for i := range n {
		for j := range c {
			for p := range plane {
				y.Float32s()[(i*plane+p)*c+j] = x.Float32s()[(i*c+j)*plane+p]
			}
		}
	}
	return y
}

func TestPoolingForward(t *testing.T) {
	cases := []poolCase{
		{name: "max2x2", data: []int{2, 2, 5, 5}, kind: "max", kernel: []int{2, 2}, stride: []int{2, 2}},
		{name: "max-full", data: []int{1, 2, 5, 7}, kind: "max", kernel: []int{2, 3}, stride: []int{2, 2}, convention: "full"},
		{name: "max-pad", data: []int{1, 3, 6, 5}, kind: "max", kernel: []int{3, 3}, stride: []int{2, 2}, pad: []int{1, 1}},
		{name: "max-empty-window", data: []int{1, 1, 4, 4}, kind: "max", kernel: []int{2, 2}, stride: []int{3, 3}, pad: []int{1, 1}, convention: "full"},
		{name: "avg-pad", data: []int{2, 2, 7, 6}, kind: "avg", kernel: []int{3, 3}, stride: []int{2, 2}, pad: []int{1, 1}},
		{name: "avg-pad-exclude", data: []int{2, 2, 7, 6}, kind: "avg", kernel: []int{3, 3}, stride: []int{2, 2}, pad: []int{1, 1}, noPadCount: true},
		{name: "avg-full", data: []int{1, 2, 6, 6}, kind: "avg", kernel: []int{3, 3}, stride: []int{2, 2}, convention: "full"},
		{name: "avg-full-exclude", data: []int{1, 2, 6, 6}, kind: "avg", kernel: []int{3, 3}, stride: []int{2, 2}, pad: []int{1, 0}, convention: "full", noPadCount: true},
		{name: "sum", data: []int{1, 3, 4, 5}, kind: "sum", kernel: []int{2, 2}, pad: []int{1, 0}},
		{name: "lp1", data: []int{1, 2, 5, 5}, kind: "lp", pvalue: 1, kernel: []int{2, 2}},
		{name: "lp2", data: []int{1, 2, 5, 5}, kind: "lp", pvalue: 2, kernel: []int{3, 2}, stride: []int{2, 1}},
		{name: "lp3", data: []int{1, 2, 5, 5}, kind: "lp", pvalue: 3, kernel: []int{2, 2}, pad: []int{1, 1}},
		{name: "global-max", data: []int{2, 3, 5, 4}, kind: "max", global: true},
		{name: "global-avg", data: []int{2, 3, 5, 4}, kind: "avg", global: true, kernel: []int{2, 2}},
		{name: "global-sum", data: []int{1, 3, 3, 3}, kind: "sum", global: true},
		// The whole-plane sum path: every tail of its four partial sums.
		{name: "global-avg-1x1", data: []int{2, 3, 1, 1}, kind: "avg", global: true},
		{name: "global-avg-1x2", data: []int{1, 3, 1, 2}, kind: "avg", global: true},
		{name: "global-avg-2x3", data: []int{1, 2, 2, 3}, kind: "avg", global: true},
		{name: "global-avg-7x7", data: []int{2, 5, 7, 7}, kind: "avg", global: true},
		{name: "global-sum-1d-7", data: []int{1, 3, 7}, kind: "sum", global: true},
		{name: "global-avg-3d", data: []int{1, 2, 2, 2, 3}, kind: "avg", global: true},
		{name: "avg-kernel-is-input", data: []int{2, 2, 5, 4}, kind: "avg", kernel: []int{5, 4}},
		{name: "avg-kernel-is-input-pad", data: []int{1, 2, 3, 3}, kind: "avg", kernel: []int{3, 3}, pad: []int{1, 1}, noPadCount: true},
		{name: "1d-avg", data: []int{2, 3, 9}, kind: "avg", kernel: []int{3}, stride: []int{2}, pad: []int{1}},
		{name: "1d-same", data: []int{1, 2, 5}, kind: "avg", kernel: []int{3}, stride: []int{2}, convention: "same"},
		{name: "1d-global-max", data: []int{1, 2, 5}, kind: "max", global: true},
		{name: "3d-max", data: []int{1, 2, 4, 5, 3}, kind: "max", kernel: []int{2, 3, 2}, stride: []int{2, 1, 1}, pad: []int{0, 1, 1}},
		{name: "3d-avg", data: []int{1, 1, 4, 4, 4}, kind: "avg", kernel: []int{2, 2, 2}, stride: []int{2, 2, 2}},
		{name: "nhwc-max", data: []int{2, 3, 5, 4}, kind: "max", kernel: []int{2, 2}, stride: []int{1, 2}, nhwc: true},
		// Planes wide enough for the vector path (poolMaxVec).
		{name: "max-wide-2x2s2-full", data: []int{2, 3, 11, 39}, kind: "max", kernel: []int{2, 2}, stride: []int{2, 2}, convention: "full"},
		{name: "max-wide-3x3s2-full", data: []int{1, 2, 12, 40}, kind: "max", kernel: []int{3, 3}, stride: []int{2, 2}, convention: "full"},
		{name: "max-wide-3x3s2-pad", data: []int{1, 2, 9, 41}, kind: "max", kernel: []int{3, 3}, stride: []int{2, 2}, pad: []int{1, 1}},
		{name: "max-wide-3x3s1-same", data: []int{2, 2, 7, 30}, kind: "max", kernel: []int{3, 3}, stride: []int{1, 1}, pad: []int{1, 1}},
		{name: "max-wide-2x4s1x2", data: []int{1, 3, 6, 35}, kind: "max", kernel: []int{2, 4}, stride: []int{1, 2}, pad: []int{1, 2}},
		{name: "nhwc-avg", data: []int{1, 4, 5, 5}, kind: "avg", kernel: []int{3, 3}, stride: []int{2, 2}, pad: []int{1, 1}, nhwc: true},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := kaRand(uint64(i+10), 1, c.data...)
			attrs := map[string]string{"pool_type": c.kind}
			if c.kernel != nil {
				attrs["kernel"] = tupleStr(c.kernel)
			}
			if c.stride != nil {
				attrs["stride"] = tupleStr(c.stride)
			}
			if c.pad != nil {
				attrs["pad"] = tupleStr(c.pad)
			}
			if c.convention != "" {
				attrs["pooling_convention"] = c.convention
			}
			if c.noPadCount {
				attrs["count_include_pad"] = "False"
			}
			if c.pvalue != 0 {
				attrs["p_value"] = tupleStr([]int{c.pvalue})[1:2]
			}
			if c.global {
				attrs["global_pool"] = "True"
			}
			shape, want := poolRef(x, c)
			in := x
			if c.nhwc {
				attrs["layout"] = "NHWC"
				in = kbNHWC(x)
			}
			out := kaRun(t, "Pooling", attrs, in)
			got := out[0]
			if c.nhwc {
				// Compare in NHWC order.
				w, _ := tensor.FromSlice(toF32(want), shape...)
				wt := kbNHWC(w)
				want, shape = kaF64(wt), wt.Shape()
			}
			kaCheck(t, c.name, got, shape, want, 1e-5, 1e-6)
			wantOuts := 1
			if c.kind == "max" && !c.nhwc && c.kernel != nil { // oneDNN workspace
				wantOuts = 2
			}
			if len(out) != wantOuts {
				t.Fatalf("%d outputs, want %d", len(out), wantOuts)
			}
			if wantOuts == 2 {
				// When training, the workspace holds the argmax: the input
				// at that index is the max.
				trained, err := opstest.Run("Pooling", attrs, []*tensor.Tensor{in}, &opstest.Options{Train: true})
				if err != nil {
					t.Fatal(err)
				}
				mask, _ := tensor.Data[int32](trained[1])
				plane := x.Len() / c.data[0] / c.data[1]
				oplane := got.Len() / c.data[0] / c.data[1]
				for j, m := range mask {
					v := got.Float32s()[j]
					if m < 0 {
						if v != -math.MaxFloat32 {
							t.Fatalf("mask[%d] = -1 but output %g", j, v)
						}
						continue
					}
					if xv := x.Float32s()[j/oplane*plane+int(m)]; xv != v {
						t.Fatalf("mask[%d] = %d points at %g, output %g", j, m, xv, v)
					}
				}
			}
			kaNoAllocs(t, "Pooling", attrs, in)
		})
	}
}

func toF32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func TestPoolingHandChecked(t *testing.T) {
	x := kaT([]int{1, 1, 4, 4}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
	out := kaRun(t, "Pooling", map[string]string{"kernel": "(2,2)", "stride": "(2,2)"}, x)
	kaCheck(t, "max", out[0], []int{1, 1, 2, 2}, []float64{6, 8, 14, 16}, 0, 0)
	trained, err := opstest.Run("Pooling", map[string]string{"kernel": "(2,2)", "stride": "(2,2)"}, []*tensor.Tensor{x}, &opstest.Options{Train: true})
	if err != nil {
		t.Fatal(err)
	}
	mask, _ := tensor.Data[int32](trained[1])
	if mask[0] != 5 || mask[1] != 7 || mask[2] != 13 || mask[3] != 15 {
		t.Errorf("argmax %v, want [5 7 13 15]", mask)
	}
	// avg 3x3 pad 1 at the corner: include pad 12/9, exclude pad 12/4.
	out = kaRun(t, "Pooling", map[string]string{"kernel": "(3,3)", "stride": "(3,3)", "pad": "(1,1)", "pool_type": "avg"}, x)
	kaCheck(t, "avg", out[0], []int{1, 1, 2, 2}, []float64{14.0 / 9, 22.0 / 9, 46.0 / 9, 54.0 / 9}, 1e-6, 0)
	out = kaRun(t, "Pooling", map[string]string{"kernel": "(3,3)", "stride": "(3,3)", "pad": "(1,1)", "pool_type": "avg", "count_include_pad": "0"}, x)
	kaCheck(t, "avg-exclude", out[0], []int{1, 1, 2, 2}, []float64{14.0 / 4, 22.0 / 4, 46.0 / 4, 54.0 / 4}, 1e-6, 0)
	// NaN is skipped by max.
	y := kaT([]int{1, 1, 1, 3}, float32(math.NaN()), -2, -3)
	out = kaRun(t, "Pooling", map[string]string{"kernel": "(1,3)"}, y)
	kaCheck(t, "nan", out[0], []int{1, 1, 1, 1}, []float64{-2}, 0, 0)
}

// TestMaxPoolingThreadsSplitThePlanes checks the plane-parallel 2-D max
// pooling gives the same result on several goroutines as on one.
func TestMaxPoolingThreadsSplitThePlanes(t *testing.T) {
	x := kaRand(5, 1, 3, 16, 41, 39) // above the 64k-element threshold for splitting
	for _, attrs := range []map[string]string{
		{"kernel": "(2,2)", "stride": "(2,2)"},
		{"kernel": "(3,3)", "stride": "(2,2)", "pad": "(1,1)", "pooling_convention": "full"},
	} {
		one, err := opstest.Run("Pooling", attrs, []*tensor.Tensor{x}, &opstest.Options{Threads: 1, Train: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, threads := range []int{2, 4, 32} {
			many, err := opstest.Run("Pooling", attrs, []*tensor.Tensor{x}, &opstest.Options{Threads: threads, Train: true})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(one[0].Float32s(), many[0].Float32s()) || !slices.Equal(one[1].Bytes(), many[1].Bytes()) {
				t.Errorf("%v threads=%d: results differ from one thread", attrs, threads)
			}
		}
	}
}
