package ops

import (
	"fmt"
	"math/bits"
	"unsafe"

	"github.com/mxgo/mxgo/tensor"
)

// topkWorkspace is one row's values and positions (2·n words).
func topkWorkspace(p *TopKParam, in []Shape) int {
	if len(in) == 0 || !ShapeKnown(in[0]) {
		return 0
	}
	g, err := topkDims(p, in[0])
	if err != nil {
		return 0
	}
	return 2 * g.n
}

func topkForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	return topkRun(ctx, params.(*TopKParam), in, out)
}

// topkRun is TopKImpl on the CPU: each row along the axis (or the whole
// flattened input) is ordered by libstdc++'s std::sort when 8·k > n and by
// std::partial_sort otherwise, exactly as MXNet's TopKSort calls them, so
// equal values come out in the order MXNet's CPU kernel gives them.
func topkRun(ctx *Ctx, p *TopKParam, in, out []*tensor.Tensor) error {
	x := in[0]
	if x.DType() != tensor.Float32 {
		return fmt.Errorf("topk: data is %s, only float32 is supported", x.DType())
	}
	dims := outDims(x)
	g, err := topkDims(p, dims[:x.NDim()])
	if err != nil {
		return fmt.Errorf("topk: %w", err)
	}
	if x.Len() == 0 {
		return nil
	}
	if len(ctx.Scratch) < 2*g.n {
		return fmt.Errorf("topk: workspace of %d words, need %d", len(ctx.Scratch), 2*g.n)
	}
	vals := ctx.Scratch[:g.n]
	pos := unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(ctx.Scratch[g.n:]))), g.n)
	xd := x.Float32s()
	s := stdSorter{v: vals, asc: p.IsAscend}
	full := g.k*8 > g.n
	var mask []float32
	if p.RetTyp == TopKMask {
		mask = out[0].Float32s()
		clear(mask)
	}
	// The row r = o·inner + i holds x[o, :, i]; outputs have k along the
	// axis in the same layout.
	cc := cancelCheck{ctx: ctx}
	for r := range g.rows {
		// Sorting a row costs about n·log2(n) comparisons.
		if err := cc.tick(g.n * bits.Len(uint(g.n))); err != nil {
			return err
		}
		o, i := r/g.inner, r%g.inner
		base := o*g.n*g.inner + i
		for j := range g.n {
			vals[j] = xd[base+j*g.inner]
			pos[j] = int32(j)
		}
		if full {
			s.sort(pos)
		} else {
			s.partialSort(pos, g.k)
		}
		obase := o*g.k*g.inner + i
		switch p.RetTyp {
		case TopKMask:
			for _, j := range pos[:g.k] {
				mask[base+int(j)*g.inner] = 1
			}
		case TopKIndices:
			for j, q := range pos[:g.k] {
				setIndex(out[0], obase+j*g.inner, int64(q))
			}
		default:
			yd := out[0].Float32s()
			for j, q := range pos[:g.k] {
				yd[obase+j*g.inner] = vals[q]
				setIndex(out[1], obase+j*g.inner, int64(q))
			}
		}
	}
	return ctx.Err()
}

// setIndex stores index v at element i of t as MXNet's tcast<IType> does:
// integer dtypes wrap, floating dtypes round.
func setIndex(t *tensor.Tensor, i int, v int64) {
	b := t.Bytes()
	switch t.DType() {
	case tensor.Int32:
		words(b)[i] = uint32(int32(v))
	case tensor.Int64:
		wordView[uint64](b)[i] = uint64(v)
	case tensor.Uint8:
		b[i] = uint8(v)
	case tensor.Int8:
		b[i] = uint8(int8(v))
	default:
		t.SetFloat64At(i, float64(v))
	}
}

// stdSorter reproduces libstdc++'s std::sort and std::partial_sort
// (bits/stl_algo.h, bits/stl_heap.h) on positions into v, compared with
// v[a] < v[b] (asc) or v[a] > v[b]. The algorithms are not stable; the
// order of equal values is the one libstdc++ produces. The unguarded loops
// of libstdc++ get bounds checks that never trigger for a consistent
// ordering (they only matter with NaN, where libstdc++ is undefined).
type stdSorter struct {
	v   []float32
	asc bool
}

func (s *stdSorter) less(a, b int32) bool {
	if s.asc {
		return s.v[a] < s.v[b]
	}
	return s.v[a] > s.v[b]
}

const stdSortThreshold = 16

// sort is std::sort.
func (s *stdSorter) sort(x []int32) {
	if len(x) == 0 {
		return
	}
	s.introsortLoop(x, 0, len(x), 2*(bits.Len(uint(len(x)))-1))
	s.finalInsertionSort(x, 0, len(x))
}

// partialSort is std::partial_sort(x, x+k, x+len(x)).
func (s *stdSorter) partialSort(x []int32, k int) {
	s.heapSelect(x, 0, k, len(x))
	s.sortHeap(x, 0, k)
}

func (s *stdSorter) introsortLoop(x []int32, first, last, depth int) {
	for last-first > stdSortThreshold {
		if depth == 0 {
			s.heapSelect(x, first, last, last)
			s.sortHeap(x, first, last)
			return
		}
		depth--
		cut := s.partitionPivot(x, first, last)
		s.introsortLoop(x, cut, last, depth)
		last = cut
	}
}

func (s *stdSorter) partitionPivot(x []int32, first, last int) int {
	mid := first + (last-first)/2
	s.moveMedianToFirst(x, first, first+1, mid, last-1)
	return s.unguardedPartition(x, first+1, last, first)
}

func (s *stdSorter) moveMedianToFirst(x []int32, result, a, b, c int) {
	var m int
	switch {
	case s.less(x[a], x[b]):
		switch {
		case s.less(x[b], x[c]):
			m = b
		case s.less(x[a], x[c]):
			m = c
		default:
			m = a
		}
	case s.less(x[a], x[c]):
		m = a
	case s.less(x[b], x[c]):
		m = c
	default:
		m = b
	}
	x[result], x[m] = x[m], x[result]
}

func (s *stdSorter) unguardedPartition(x []int32, first, last, pivot int) int {
	end := last
	for {
		for first < end && s.less(x[first], x[pivot]) {
			first++
		}
		last--
		for last > pivot && s.less(x[pivot], x[last]) {
			last--
		}
		if first >= last {
			return first
		}
		x[first], x[last] = x[last], x[first]
		first++
	}
}

func (s *stdSorter) insertionSort(x []int32, first, last int) {
	if first == last {
		return
	}
	for i := first + 1; i < last; i++ {
		if s.less(x[i], x[first]) {
			v := x[i]
			copy(x[first+1:i+1], x[first:i])
			x[first] = v
		} else {
			s.unguardedLinearInsert(x, i, first)
		}
	}
}

// unguardedLinearInsert moves x[last] down while it compares less than its
// predecessor (never below lo).
func (s *stdSorter) unguardedLinearInsert(x []int32, last, lo int) {
	v := x[last]
	next := last - 1
	for next >= lo && s.less(v, x[next]) {
		x[last] = x[next]
		last = next
		next--
	}
	x[last] = v
}

func (s *stdSorter) finalInsertionSort(x []int32, first, last int) {
	if last-first > stdSortThreshold {
		s.insertionSort(x, first, first+stdSortThreshold)
		for i := first + stdSortThreshold; i < last; i++ {
			s.unguardedLinearInsert(x, i, first)
		}
		return
	}
	s.insertionSort(x, first, last)
}

// heapSelect is std::__heap_select on x[first:last] keeping a heap of
// x[first:middle].
func (s *stdSorter) heapSelect(x []int32, first, middle, last int) {
	s.makeHeap(x, first, middle)
	for i := middle; i < last; i++ {
		if s.less(x[i], x[first]) {
			s.popHeap(x, first, middle, i)
		}
	}
}

func (s *stdSorter) makeHeap(x []int32, first, last int) {
	n := last - first
	if n < 2 {
		return
	}
	for parent := (n - 2) / 2; ; parent-- {
		s.adjustHeap(x, first, parent, n, x[first+parent])
		if parent == 0 {
			return
		}
	}
}

func (s *stdSorter) sortHeap(x []int32, first, last int) {
	for last-first > 1 {
		last--
		s.popHeap(x, first, last, last)
	}
}

func (s *stdSorter) popHeap(x []int32, first, last, result int) {
	v := x[result]
	x[result] = x[first]
	s.adjustHeap(x, first, 0, last-first, v)
}

func (s *stdSorter) adjustHeap(x []int32, first, hole, n int, v int32) {
	top := hole
	child := hole
	for child < (n-1)/2 {
		child = 2 * (child + 1)
		if s.less(x[first+child], x[first+child-1]) {
			child--
		}
		x[first+hole] = x[first+child]
		hole = child
	}
	if n&1 == 0 && child == (n-2)/2 {
		child = 2 * (child + 1)
		x[first+hole] = x[first+child-1]
		hole = child - 1
	}
	// __push_heap
	parent := (hole - 1) / 2
	for hole > top && s.less(x[first+parent], v) {
		x[first+hole] = x[first+parent]
		hole = parent
		parent = (hole - 1) / 2
	}
	x[first+hole] = v
}
