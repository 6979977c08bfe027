package ops_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// kaArange returns a float32 tensor holding 0, 1, 2, ... in shape.
func kaArange(shape ...int) *tensor.Tensor {
	t, err := tensor.New(tensor.Float32, shape...)
	if err != nil {
		panic(err)
	}
	for i := range t.Float32s() {
		t.Float32s()[i] = float32(i)
	}
	return t
}

// kaGather builds the reference of a pure data move: out[i] = x[src(idx)]
// for every index idx of out.
func kaGather(x *tensor.Tensor, out []int, src func(idx []int) []int) []float64 {
	n := 1
	for _, d := range out {
		n *= d
	}
	xs := x.Shape()
	want := make([]float64, n)
	for i := range want {
		want[i] = x.Float64At(kaFlat(src(kaIndex(i, out)), xs))
	}
	return want
}

func TestTransposeKernel(t *testing.T) {
	cases := []struct {
		shape, axes []int
	}{
		{kaS(3, 5), nil},
		{kaS(2, 3, 4), nil},
		{kaS(2, 3, 4), kaS(1, 0, 2)},
		{kaS(2, 3, 4), kaS(2, 0, 1)},
		{kaS(2, 3, 4, 5), kaS(0, 2, 3, 1)},
		{kaS(2, 3, 4, 5), kaS(-1, 0, -2, 1)},
		{kaS(7), nil},
		{kaS(1, 9, 1), kaS(2, 1, 0)},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.shape, c.axes), func(t *testing.T) {
			x := kaArange(c.shape...)
			perm := make([]int, len(c.shape))
			for k := range perm {
				if c.axes == nil {
					perm[k] = len(perm) - 1 - k
				} else {
					perm[k] = (c.axes[k] + len(perm)) % len(perm)
				}
			}
			out := make([]int, len(perm))
			for k, a := range perm {
				out[k] = c.shape[a]
			}
			want := kaGather(x, out, func(idx []int) []int {
				src := make([]int, len(idx))
				for k, a := range perm {
					src[a] = idx[k]
				}
				return src
			})
			attrs := map[string]string{}
			if c.axes != nil {
				attrs["axes"] = kaTuple(c.axes)
			}
			kaExpect(t, "transpose", attrs, []*tensor.Tensor{x}, out, want, 0, 0)
			// Other element sizes move the same way.
			for _, dt := range []tensor.DType{tensor.Float16, tensor.Int64, tensor.Uint8} {
				xd, _ := x.AsType(dt)
				got := kaRun(t, "transpose", attrs, xd)[0]
				if got.DType() != dt {
					t.Fatalf("dtype %s, want %s", got.DType(), dt)
				}
				kaCheck(t, "transpose "+dt.String(), got, out, want, 0, 0)
			}
		})
	}
}

// kaTuple formats ints as an MXNet tuple attribute, "None" for nil entries
// given as pointers is not needed here.
func kaTuple(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return "(" + strings.Join(s, ", ") + ")"
}

// kaPySlice returns the indices Python's range(n)[b:e:s] selects; nil
// pointers are omitted bounds.
func kaPySlice(b, e *int, s, n int) []int {
	var start, stop int
	if s > 0 {
		start, stop = 0, n
	} else {
		start, stop = n-1, -1
	}
	norm := func(v int) int {
		if v < 0 {
			v += n
		}
		if s > 0 {
			return min(max(v, 0), n)
		}
		return min(max(v, -1), n-1)
	}
	if b != nil {
		start = norm(*b)
	}
	if e != nil {
		stop = norm(*e)
	}
	var idx []int
	for i := start; (s > 0 && i < stop) || (s < 0 && i > stop); i += s {
		idx = append(idx, i)
	}
	return idx
}

func kaP(v int) *int { return &v }

func TestSliceKernel(t *testing.T) {
	type ax struct {
		b, e *int
		s    int
	}
	cases := []struct {
		shape []int
		axes  []ax
	}{
		{kaS(2, 3, 4), []ax{{kaP(0), kaP(2), 1}, {kaP(1), kaP(3), 1}}},
		{kaS(2, 3, 4), []ax{{nil, nil, 1}, {nil, nil, 1}, {kaP(3), nil, -1}}},
		{kaS(2, 3, 4), []ax{{kaP(1), nil, 1}, {kaP(-1), kaP(0), -2}}},
		{kaS(5, 7), []ax{{kaP(-4), kaP(-1), 2}, {kaP(1), kaP(100), 3}}},
		{kaS(5, 7), []ax{{nil, nil, -1}, {nil, nil, -3}}},
		{kaS(6), []ax{{kaP(4), kaP(1), -1}}},
		{kaS(6), []ax{{kaP(2), kaP(2), 1}}},
		{kaS(3, 2, 5), []ax{{kaP(0), kaP(3), 2}, {kaP(1), kaP(2), 1}, {kaP(-2), nil, 1}}},
	}
	opt := func(p *int) string {
		if p == nil {
			return "None"
		}
		return fmt.Sprint(*p)
	}
	for ci, c := range cases {
		t.Run(fmt.Sprint(ci), func(t *testing.T) {
			var bs, es, ss []string
			sel := make([][]int, len(c.shape))
			out := make([]int, len(c.shape))
			for d := range c.shape {
				a := ax{nil, nil, 1}
				if d < len(c.axes) {
					a = c.axes[d]
				}
				sel[d] = kaPySlice(a.b, a.e, a.s, c.shape[d])
				out[d] = len(sel[d])
				if d < len(c.axes) {
					bs, es, ss = append(bs, opt(a.b)), append(es, opt(a.e)), append(ss, fmt.Sprint(a.s))
				}
			}
			attrs := map[string]string{
				"begin": "(" + strings.Join(bs, ",") + ")",
				"end":   "(" + strings.Join(es, ",") + ")",
				"step":  "(" + strings.Join(ss, ",") + ")",
			}
			x := kaArange(c.shape...)
			want := kaGather(x, out, func(idx []int) []int {
				src := make([]int, len(idx))
				for d, i := range idx {
					src[d] = sel[d][i]
				}
				return src
			})
			kaExpect(t, "slice", attrs, []*tensor.Tensor{x}, out, want, 0, 0)
			xi, _ := x.AsType(tensor.Int32)
			kaCheck(t, "slice int32", kaRun(t, "slice", attrs, xi)[0], out, want, 0, 0)
		})
	}
}

func TestSliceAxisKernel(t *testing.T) {
	cases := []struct {
		shape      []int
		axis, b    int
		e          string
		start, cnt int
	}{
		{kaS(4, 5), 0, 1, "3", 1, 2},
		{kaS(4, 5), 1, -3, "None", 2, 3},
		{kaS(4, 5), -1, 0, "-1", 0, 4},
		{kaS(2, 3, 4), 1, 2, "3", 2, 1},
		{kaS(2, 3, 4), 2, 1, "4", 1, 3},
	}
	for _, c := range cases {
		x := kaArange(c.shape...)
		a := (c.axis + len(c.shape)) % len(c.shape)
		out := append([]int(nil), c.shape...)
		out[a] = c.cnt
		want := kaGather(x, out, func(idx []int) []int {
			src := append([]int(nil), idx...)
			src[a] += c.start
			return src
		})
		kaExpect(t, "slice_axis", map[string]string{"axis": fmt.Sprint(c.axis), "begin": fmt.Sprint(c.b), "end": c.e},
			[]*tensor.Tensor{x}, out, want, 0, 0)
	}
}

func TestConcatKernel(t *testing.T) {
	cases := []struct {
		shapes [][]int
		dim    int
	}{
		{[][]int{kaS(2, 3), kaS(2, 1), kaS(2, 4)}, 1},
		{[][]int{kaS(2, 3), kaS(1, 3)}, 0},
		{[][]int{kaS(2, 3, 2), kaS(2, 3, 1), kaS(2, 3, 3)}, -1},
		{[][]int{kaS(2, 1, 2), kaS(2, 4, 2)}, 1},
		{[][]int{kaS(5)}, 0},
	}
	for ci, c := range cases {
		a := (c.dim + len(c.shapes[0])) % len(c.shapes[0])
		in := make([]*tensor.Tensor, len(c.shapes))
		out := append([]int(nil), c.shapes[0]...)
		out[a] = 0
		for i, s := range c.shapes {
			in[i] = kaRand(uint64(ci*10+i), 1, s...)
			out[a] += s[a]
		}
		want := make([]float64, 0)
		n := 1
		for _, d := range out {
			n *= d
		}
		for i := range n {
			idx := kaIndex(i, out)
			j := idx[a]
			for _, x := range in {
				if j < x.Dim(a) {
					idx[a] = j
					want = append(want, x.Float64At(kaFlat(idx, x.Shape())))
					break
				}
				j -= x.Dim(a)
			}
		}
		attrs := map[string]string{"num_args": fmt.Sprint(len(in)), "dim": fmt.Sprint(c.dim)}
		kaExpect(t, "Concat", attrs, in, out, want, 0, 0)
		ind := make([]*tensor.Tensor, len(in))
		for i, x := range in {
			ind[i], _ = x.AsType(tensor.Float16)
		}
		got := kaRun(t, "concat", attrs, ind...)[0]
		wh, _ := tensor.FromSlice(want, out...)
		wh, _ = wh.AsType(tensor.Float16)
		kaCheck(t, "concat float16", got, out, kaF64(wh), 0, 0)
	}
}

func TestSliceChannelKernel(t *testing.T) {
	cases := []struct {
		shape   []int
		n, axis int
		squeeze bool
		out     []int
		name    string
	}{
		{kaS(2, 6, 3), 3, 1, false, kaS(2, 2, 3), "SliceChannel"},
		{kaS(2, 6, 3), 6, 1, true, kaS(2, 3), "split"},
		{kaS(4, 3), 2, 0, false, kaS(2, 3), "split"},
		{kaS(2, 3, 4), 4, -1, true, kaS(2, 3), "SliceChannel"},
		{kaS(2, 3, 4), 1, 2, false, kaS(2, 3, 4), "SliceChannel"},
	}
	for _, c := range cases {
		x := kaArange(c.shape...)
		a := (c.axis + len(c.shape)) % len(c.shape)
		part := c.shape[a] / c.n
		attrs := map[string]string{"num_outputs": fmt.Sprint(c.n), "axis": fmt.Sprint(c.axis), "squeeze_axis": fmt.Sprint(c.squeeze)}
		asmEach(t, func(impl string) {
			outs := kaRun(t, c.name, attrs, x)
			if len(outs) != c.n {
				t.Fatalf("%d outputs, want %d", len(outs), c.n)
			}
			for k, o := range outs {
				full := append([]int(nil), c.shape...)
				full[a] = part
				want := kaGather(x, full, func(idx []int) []int {
					src := append([]int(nil), idx...)
					src[a] += k * part
					return src
				})
				kaCheck(t, fmt.Sprintf("%s %v output %d", c.name, attrs, k), o, c.out, want, 0, 0)
			}
		})
	}
}

func TestClipKernel(t *testing.T) {
	x := kaT(kaS(11), -3, -1, -0.5, 0, 0.25, 0.5, 1, 2, kaNaN, kaInf, -kaInf)
	ref := func(lo, hi float64) []float64 {
		return kaMap(x, func(v float64) float64 {
			switch {
			case v > hi:
				return hi
			case v < lo:
				return lo
			}
			return v
		})
	}
	kaExpect(t, "clip", map[string]string{"a_min": "-0.5", "a_max": "1"}, []*tensor.Tensor{x}, kaS(11), ref(-0.5, 1), 0, 0)
	kaExpect(t, "clip", map[string]string{"a_min": "0", "a_max": "0"}, []*tensor.Tensor{x}, kaS(11), ref(0, 0), 0, 0)
	// a_min > a_max: the upper bound is tested first.
	kaExpect(t, "clip", map[string]string{"a_min": "1", "a_max": "-1"}, []*tensor.Tensor{x}, kaS(11), ref(1, -1), 0, 0)
	r := kaRand(3, 4, 5, 13)
	kaExpect(t, "clip", map[string]string{"a_min": "-2", "a_max": "3"}, []*tensor.Tensor{r}, kaS(5, 13), kaMap(r, func(v float64) float64 { return min(max(v, -2), 3) }), 0, 0)
}

func TestShapeOpsKernel(t *testing.T) {
	x := kaArange(2, 3, 4)
	want := kaF64(x)
	cases := []struct {
		name  string
		attrs map[string]string
		out   []int
	}{
		{"Reshape", map[string]string{"shape": "(4, -1)"}, kaS(4, 6)},
		{"Reshape", map[string]string{"shape": "(0, -1)"}, kaS(2, 12)},
		{"Reshape", map[string]string{"shape": "(-3, 4)"}, kaS(6, 4)},
		{"Reshape", map[string]string{"shape": "(-4, 1, 2, -2)"}, kaS(1, 2, 3, 4)},
		{"Reshape", map[string]string{"shape": "(-1, 0)", "reverse": "true"}, kaS(6, 4)},
		{"Reshape", map[string]string{"target_shape": "(4, 6)"}, kaS(4, 6)},
		{"reshape", map[string]string{"shape": "(24,)"}, kaS(24)},
		{"Flatten", nil, kaS(2, 12)},
		{"flatten", nil, kaS(2, 12)},
		{"expand_dims", map[string]string{"axis": "0"}, kaS(1, 2, 3, 4)},
		{"expand_dims", map[string]string{"axis": "-1"}, kaS(2, 3, 4, 1)},
		{"expand_dims", map[string]string{"axis": "2"}, kaS(2, 3, 1, 4)},
	}
	for _, c := range cases {
		kaExpect(t, c.name, c.attrs, []*tensor.Tensor{x}, c.out, want, 0, 0)
		xi, _ := x.AsType(tensor.Int8)
		kaCheck(t, c.name+" int8", kaRun(t, c.name, c.attrs, xi)[0], c.out, want, 0, 0)
	}
	// In place: the output is the input's storage.
	if err := kaForward("Reshape", map[string]string{"shape": "(-1,)"}, []*tensor.Tensor{x}, []*tensor.Tensor{x}); err != nil {
		t.Fatal(err)
	}
	kaCheck(t, "in place", x, kaS(2, 3, 4), want, 0, 0)
}

func TestMatrixNoAllocs(t *testing.T) {
	kaNoAllocs(t, "transpose", map[string]string{"axes": "(0, 2, 3, 1)"}, kaRand(1, 1, 2, 3, 4, 5))
	kaNoAllocs(t, "slice", map[string]string{"begin": "(0, 1)", "end": "(None, -1)", "step": "(1, -1)"}, kaRand(1, 1, 4, 6))
	kaNoAllocs(t, "slice_axis", map[string]string{"axis": "1", "begin": "1", "end": "3"}, kaRand(1, 1, 4, 6))
	kaNoAllocs(t, "Concat", map[string]string{"num_args": "2", "dim": "1"}, kaRand(1, 1, 4, 6), kaRand(2, 1, 4, 2))
	kaNoAllocs(t, "SliceChannel", map[string]string{"num_outputs": "3"}, kaRand(1, 1, 4, 6))
	kaNoAllocs(t, "clip", map[string]string{"a_min": "0", "a_max": "0.5"}, kaRand(1, 1, 4, 6))
	kaNoAllocs(t, "Reshape", map[string]string{"shape": "(-1,)"}, kaRand(1, 1, 4, 6))
	kaNoAllocs(t, "Flatten", nil, kaRand(1, 1, 4, 6, 2))
	kaNoAllocs(t, "expand_dims", map[string]string{"axis": "1"}, kaRand(1, 1, 4, 6))
}
