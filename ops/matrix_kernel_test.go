package ops_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// kaSeq returns a tensor of dtype dt whose elements count 0, 1, 2, ...
// (modulo 100 so every dtype holds them exactly; bool alternates).
func kaSeq(dt tensor.DType, shape ...int) *tensor.Tensor {
	t, err := tensor.New(dt, shape...)
	if err != nil {
		panic(err)
	}
	for i := range t.Len() {
		v := float64(i % 100)
		if dt == tensor.Bool {
			v = float64(i % 3 % 2)
		}
		t.SetFloat64At(i, v)
	}
	return t
}

// strides returns row-major strides of shape.
func strides(shape []int) []int {
	st := make([]int, len(shape))
	s := 1
	for d := len(shape) - 1; d >= 0; d-- {
		st[d] = s
		s *= shape[d]
	}
	return st
}

// gather builds the reference output of a data-move op: element k of an
// output of shape oshape comes from input flat index src(idx) where idx is
// k's multi-index.
func gather(x *tensor.Tensor, oshape []int, src func(idx []int) int) []float64 {
	n := 1
	for _, d := range oshape {
		n *= d
	}
	out := make([]float64, n)
	idx := make([]int, len(oshape))
	for k := range out {
		r := k
		for d := len(oshape) - 1; d >= 0; d-- {
			idx[d] = r % oshape[d]
			r /= oshape[d]
		}
		out[k] = x.Float64At(src(idx))
	}
	return out
}

func TestTransposeForward(t *testing.T) {
	cases := []struct {
		shape []int
		axes  []int // nil: reverse
	}{
		{[]int{2, 3}, nil},
		{[]int{2, 3, 4}, nil},
		{[]int{2, 3, 4}, []int{0, 2, 1}},
		{[]int{2, 3, 4}, []int{1, 0, 2}},
		{[]int{2, 3, 4, 5}, []int{3, 1, 0, 2}},
		{[]int{2, 3, 4, 5}, []int{-1, 0, -3, 2}},
		{[]int{7}, nil},
		{[]int{1, 5, 1}, []int{2, 0, 1}},
		{[]int{2, 0, 3}, []int{2, 1, 0}},
	}
	for _, dt := range allDTypes {
		for _, c := range cases {
			x := kaSeq(dt, c.shape...)
			nd := len(c.shape)
			perm := make([]int, nd)
			attrs := map[string]string{}
			for i := range perm {
				if c.axes == nil {
					perm[i] = nd - 1 - i
				} else {
					perm[i] = (c.axes[i] + nd) % nd
				}
			}
			if c.axes != nil {
				attrs["axes"] = tensor.ShapeString(c.axes)
			}
			oshape := make([]int, nd)
			for i, a := range perm {
				oshape[i] = c.shape[a]
			}
			st := strides(c.shape)
			want := gather(x, oshape, func(idx []int) int {
				off := 0
				for i, a := range perm {
					off += idx[i] * st[a]
				}
				return off
			})
			out := kaRun(t, "transpose", attrs, x)
			if out[0].DType() != dt {
				t.Fatalf("transpose %s: output dtype %s", dt, out[0].DType())
			}
			kaCheck(t, fmt.Sprintf("transpose %s %v %v", dt, c.shape, c.axes), out[0], oshape, want, 0, 0)
		}
	}
	out := kaRun(t, "transpose", nil, kaT([]int{2, 3}, 1, 2, 3, 4, 5, 6))
	kaCheck(t, "transpose hand", out[0], []int{3, 2}, []float64{1, 4, 2, 5, 3, 6}, 0, 0)
}

// pySlice returns the indices Python's x[begin:end:step] selects on an
// axis of length n (nil pointers are None).
func pySlice(begin, end, step *int, n int) []int {
	s := 1
	if step != nil {
		s = *step
	}
	lower, upper := 0, n
	if s < 0 {
		lower, upper = -1, n-1
	}
	bound := func(v *int, def int) int {
		if v == nil {
			return def
		}
		b := *v
		if b < 0 {
			b += n
			if b < lower {
				b = lower
			}
		} else if b > upper {
			b = upper
		}
		return b
	}
	var b, e int
	if s > 0 {
		b, e = bound(begin, lower), bound(end, upper)
	} else {
		b, e = bound(begin, upper), bound(end, lower)
	}
	var idx []int
	for i := b; (s > 0 && i < e) || (s < 0 && i > e); i += s {
		idx = append(idx, i)
	}
	return idx
}

func ip(v int) *int { return &v }

func optTuple(v []*int) string {
	parts := make([]string, len(v))
	for i, p := range v {
		if p == nil {
			parts[i] = "None"
		} else {
			parts[i] = fmt.Sprint(*p)
		}
	}
	return "(" + strings.Join(parts, ",") + ")"
}

func TestSliceForward(t *testing.T) {
	cases := []struct {
		shape            []int
		begin, end, step []*int
	}{
		{[]int{5, 6}, []*int{ip(1), ip(2)}, []*int{ip(4), ip(5)}, nil},
		{[]int{5, 6}, []*int{ip(1)}, []*int{ip(4)}, nil},
		{[]int{5, 6}, []*int{nil, ip(-3)}, []*int{nil, nil}, nil},
		{[]int{5, 6}, []*int{nil, nil}, []*int{nil, nil}, []*int{ip(-1), ip(2)}},
		{[]int{5, 6}, []*int{ip(4), ip(-1)}, []*int{ip(0), ip(-7)}, []*int{ip(-2), ip(-3)}},
		{[]int{5, 6}, []*int{ip(-100), ip(3)}, []*int{ip(100), ip(3)}, nil},
		{[]int{3, 4, 5}, []*int{ip(0), ip(1), ip(1)}, []*int{ip(3), ip(4), ip(5)}, []*int{ip(2), ip(2), ip(3)}},
		{[]int{3, 4, 5}, []*int{ip(2), nil}, []*int{ip(0), nil}, []*int{nil, ip(-1)}},
		{[]int{3, 4, 5}, []*int{ip(2)}, []*int{ip(2)}, nil},
		{[]int{7}, []*int{ip(-2)}, []*int{nil}, []*int{ip(-3)}},
	}
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Float64, tensor.Float16, tensor.Uint8, tensor.Int32, tensor.Int64, tensor.Bool} {
		for ci, c := range cases {
			x := kaSeq(dt, c.shape...)
			attrs := map[string]string{"begin": optTuple(c.begin), "end": optTuple(c.end)}
			if c.step != nil {
				attrs["step"] = optTuple(c.step)
			}
			sel := make([][]int, len(c.shape))
			oshape := slices.Clone(c.shape)
			for d := range c.shape {
				if d < len(c.begin) {
					var step *int
					if c.step != nil {
						step = c.step[d]
					}
					sel[d] = pySlice(c.begin[d], c.end[d], step, c.shape[d])
				} else {
					for i := range c.shape[d] {
						sel[d] = append(sel[d], i)
					}
				}
				oshape[d] = len(sel[d])
			}
			st := strides(c.shape)
			want := gather(x, oshape, func(idx []int) int {
				off := 0
				for d, i := range idx {
					off += sel[d][i] * st[d]
				}
				return off
			})
			out := kaRun(t, "slice", attrs, x)
			kaCheck(t, fmt.Sprintf("slice %d %s %v", ci, dt, attrs), out[0], oshape, want, 0, 0)
		}
	}
	out := kaRun(t, "crop", map[string]string{"begin": "(1,None)", "end": "(2,None)", "step": "(1,-1)"}, kaT([]int{2, 3}, 1, 2, 3, 4, 5, 6))
	kaCheck(t, "crop hand", out[0], []int{1, 3}, []float64{6, 5, 4}, 0, 0)
}

func TestSliceAxisForward(t *testing.T) {
	cases := []struct {
		axis, begin int
		end         string
	}{
		{0, 1, "3"}, {1, 0, "None"}, {-1, -3, "-1"}, {2, 2, "5"}, {1, -4, "None"}, {-3, 0, "1"},
	}
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Int8, tensor.Float64} {
		x := kaSeq(dt, 3, 4, 5)
		for _, c := range cases {
			a := (c.axis + 3) % 3
			n := x.Dim(a)
			b, e := c.begin, n
			if b < 0 {
				b += n
			}
			if c.end != "None" {
				e = int(mustFloat(c.end))
				if e < 0 {
					e += n
				}
			}
			oshape := x.Shape()
			oshape[a] = e - b
			st := strides(x.Shape())
			want := gather(x, oshape, func(idx []int) int {
				off := 0
				for d, i := range idx {
					if d == a {
						i += b
					}
					off += i * st[d]
				}
				return off
			})
			attrs := map[string]string{"axis": fmt.Sprint(c.axis), "begin": fmt.Sprint(c.begin), "end": c.end}
			out := kaRun(t, "slice_axis", attrs, x)
			kaCheck(t, fmt.Sprintf("slice_axis %s %v", dt, attrs), out[0], oshape, want, 0, 0)
		}
	}
}

func TestConcatForward(t *testing.T) {
	shapes := [][]int{{2, 3, 4}, {2, 1, 4}, {2, 5, 4}}
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Float16, tensor.Int64, tensor.Uint8} {
		for _, dim := range []int{0, 1, 2, -1, -3} {
			a := (dim + 3) % 3
			in := make([]*tensor.Tensor, len(shapes))
			oshape := []int{2, 3, 4}
			oshape[a] = 0
			for i, s := range shapes {
				s = slices.Clone(s)
				s[0], s[1], s[2] = 2, 3, 4
				s[a] = 1 + 2*i
				in[i] = kaSeq(dt, s...)
				// distinguish the inputs
				for j := range in[i].Len() {
					in[i].SetFloat64At(j, float64((j+17*i)%100))
				}
				oshape[a] += s[a]
			}
			want := make([]float64, oshape[0]*oshape[1]*oshape[2])
			idx := make([]int, 3)
			for k := range want {
				r := k
				for d := 2; d >= 0; d-- {
					idx[d] = r % oshape[d]
					r /= oshape[d]
				}
				p, pos := 0, idx[a]
				for pos >= in[p].Dim(a) {
					pos -= in[p].Dim(a)
					p++
				}
				j := slices.Clone(idx)
				j[a] = pos
				st := strides(in[p].Shape())
				want[k] = in[p].Float64At(j[0]*st[0] + j[1]*st[1] + j[2]*st[2])
			}
			attrs := map[string]string{"num_args": "3", "dim": fmt.Sprint(dim)}
			out := kaRun(t, "Concat", attrs, in...)
			kaCheck(t, fmt.Sprintf("Concat %s dim %d", dt, dim), out[0], oshape, want, 0, 0)
		}
	}
	out := kaRun(t, "concat", map[string]string{"num_args": "2", "dim": "0"}, kaT([]int{1, 2}, 1, 2), kaT([]int{2, 2}, 3, 4, 5, 6))
	kaCheck(t, "concat hand", out[0], []int{3, 2}, []float64{1, 2, 3, 4, 5, 6}, 0, 0)
}

func TestSliceChannelForward(t *testing.T) {
	for _, dt := range []tensor.DType{tensor.Float32, tensor.Int32, tensor.BFloat16} {
		x := kaSeq(dt, 2, 6, 3)
		for _, c := range []struct {
			axis, n int
			squeeze bool
		}{{1, 3, false}, {1, 6, true}, {0, 2, true}, {-1, 3, false}, {2, 1, false}} {
			a := (c.axis + 3) % 3
			attrs := map[string]string{"num_outputs": fmt.Sprint(c.n), "axis": fmt.Sprint(c.axis), "squeeze_axis": fmt.Sprint(c.squeeze)}
			out := kaRun(t, "SliceChannel", attrs, x)
			if len(out) != c.n {
				t.Fatalf("%v: %d outputs", attrs, len(out))
			}
			part := x.Dim(a) / c.n
			st := strides(x.Shape())
			for i, y := range out {
				full := x.Shape()
				full[a] = part
				want := gather(x, full, func(idx []int) int {
					off := 0
					for d, v := range idx {
						if d == a {
							v += i * part
						}
						off += v * st[d]
					}
					return off
				})
				oshape := full
				if c.squeeze {
					oshape = slices.Delete(slices.Clone(full), a, a+1)
				}
				kaCheck(t, fmt.Sprintf("SliceChannel %s %v output %d", dt, attrs, i), y, oshape, want, 0, 0)
			}
		}
	}
	out := kaRun(t, "split", map[string]string{"num_outputs": "2"}, kaT([]int{1, 4}, 1, 2, 3, 4))
	kaCheck(t, "split hand 0", out[0], []int{1, 2}, []float64{1, 2}, 0, 0)
	kaCheck(t, "split hand 1", out[1], []int{1, 2}, []float64{3, 4}, 0, 0)
}

func TestReshapeFamilyForward(t *testing.T) {
	cases := []struct {
		op    string
		attrs map[string]string
		in    []int
		out   []int
	}{
		{"Reshape", map[string]string{"shape": "(0,-1)"}, []int{2, 3, 4}, []int{2, 12}},
		{"Reshape", map[string]string{"shape": "(-4,1,2,-2)"}, []int{2, 3, 4}, []int{1, 2, 3, 4}},
		{"reshape", map[string]string{"shape": "(-3,-2)"}, []int{2, 3, 4}, []int{6, 4}},
		{"Reshape", map[string]string{"shape": "(-1,0)", "reverse": "true"}, []int{10, 5, 4}, []int{50, 4}},
		{"Flatten", nil, []int{2, 3, 4}, []int{2, 12}},
		{"Flatten", nil, []int{5}, []int{5, 1}},
		{"flatten", nil, []int{3, 1, 1, 2}, []int{3, 2}},
		{"expand_dims", map[string]string{"axis": "1"}, []int{2, 3}, []int{2, 1, 3}},
		{"expand_dims", map[string]string{"axis": "-1"}, []int{2, 3}, []int{2, 3, 1}},
	}
	for _, dt := range allDTypes {
		for _, c := range cases {
			x := kaSeq(dt, c.in...)
			out := kaRun(t, c.op, c.attrs, x)
			if !slices.Equal(out[0].Shape(), c.out) || !slices.Equal(out[0].Bytes(), x.Bytes()) || out[0].DType() != dt {
				t.Errorf("%s %v on %s%v: got %s, want %v with the input's bytes", c.op, c.attrs, dt, c.in, out[0], c.out)
			}
		}
	}
}

func TestClipForward(t *testing.T) {
	nan := float32(math.NaN())
	x := kaT([]int{9}, -3, -1, -0.5, 0, 0.5, 1, 3, nan, float32(math.Inf(-1)))
	ref := func(lo, hi float64) func(float64) float64 {
		return func(v float64) float64 {
			switch {
			case v > hi:
				return hi
			case v < lo:
				return lo
			}
			return v
		}
	}
	for _, c := range [][2]float64{{-1, 1}, {0, 0.5}, {-0.75, 2}, {1, -1}, {0, 0}} {
		attrs := map[string]string{"a_min": fmt.Sprint(c[0]), "a_max": fmt.Sprint(c[1])}
		for _, in := range []*tensor.Tensor{x, kaRand(3, 4, 17)} {
			out := kaRun(t, "clip", attrs, in)
			kaCheck(t, fmt.Sprint("clip ", attrs), out[0], in.Shape(), kaMap(in, ref(c[0], c[1])), 0, 0)
		}
	}
}

func TestMatrixNoAllocs(t *testing.T) {
	x := kaRand(1, 3, 4, 5)
	kaNoAllocs(t, "transpose", nil, x)
	kaNoAllocs(t, "transpose", map[string]string{"axes": "(0,2,1)"}, x)
	kaNoAllocs(t, "slice", map[string]string{"begin": "(1,None)", "end": "(3,-1)", "step": "(1,-2)"}, x)
	kaNoAllocs(t, "slice_axis", map[string]string{"axis": "2", "begin": "1", "end": "None"}, x)
	kaNoAllocs(t, "Concat", map[string]string{"num_args": "2", "dim": "1"}, x, x)
	kaNoAllocs(t, "SliceChannel", map[string]string{"num_outputs": "2", "axis": "1"}, x)
	kaNoAllocs(t, "clip", map[string]string{"a_min": "-1", "a_max": "1"}, x)
	kaNoAllocs(t, "clip", map[string]string{"a_min": "1", "a_max": "-1"}, x)
	kaNoAllocs(t, "Reshape", map[string]string{"shape": "(0,-1)"}, x)
	kaNoAllocs(t, "Flatten", nil, x)
	kaNoAllocs(t, "expand_dims", map[string]string{"axis": "0"}, x)
}
