package ops

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// TestSgemmCtxBlocks checks that the blocked, cancellable SGEMM path
// computes bit for bit the product of one SGEMM call, for every transpose
// combination, with blocks forced small so rows and columns are split.
func TestSgemmCtxBlocks(t *testing.T) {
	defer func(v int) { sgemmChunkFlops = v }(sgemmChunkFlops)
	sgemmChunkFlops = 1 << 10
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &Ctx{Threads: 2, Context: ctx}
	rng := rand.New(rand.NewPCG(1, 2))
	const m, n, k = 150, 600, 170
	for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		a := make([]float32, m*k)
		b := make([]float32, k*n)
		for i := range a {
			a[i] = rng.Float32() - 0.5
		}
		for i := range b {
			b[i] = rng.Float32() - 0.5
		}
		lda, ldb := k, n
		if tr[0] {
			lda = m
		}
		if tr[1] {
			ldb = k
		}
		ldc := n + 3
		want := make([]float32, m*ldc)
		got := make([]float32, m*ldc)
		for i := range want {
			want[i] = float32(i % 7)
			got[i] = want[i]
		}
		asm.SgemmThreads(1, tr[0], tr[1], m, n, k, 0.5, a, lda, b, ldb, 0.25, want, ldc)
		if err := sgemmCtx(c, 2, tr[0], tr[1], m, n, k, 0.5, a, lda, b, ldb, 0.25, got, ldc); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if math.Float32bits(want[i]) != math.Float32bits(got[i]) {
				t.Fatalf("trans %v: c[%d] = %g, want %g", tr, i, got[i], want[i])
			}
		}
	}
	cancel()
	if err := sgemmCtx(c, 1, false, false, m, n, k, 1, make([]float32, m*k), k, make([]float32, k*n), n, 0, make([]float32, m*n), n); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled sgemmCtx returned %v", err)
	}
}

// opRun is one operator call prepared outside any graph: parsed params,
// allocated outputs and workspace, so that only the kernel is timed.
type opRun struct {
	op      *Op
	params  any
	in, out []*tensor.Tensor
	scratch []float32
	threads int
}

// prepareOp parses attrs for op name, infers the outputs of inputs in and
// allocates them and the op's workspace for threads goroutines.
func prepareOp(t testing.TB, name string, attrs map[string]string, in []*tensor.Tensor, threads int) *opRun {
	t.Helper()
	op, ok := Lookup(name)
	if !ok {
		t.Fatalf("no op %s", name)
	}
	var params any
	if op.Parse != nil {
		p, err := op.Parse(attrs)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		params = p
	}
	inShapes := make([]Shape, len(in))
	inTypes := make([]tensor.DType, len(in))
	for i, x := range in {
		inShapes[i], inTypes[i] = x.Shape(), x.DType()
	}
	nout := op.Outputs(params)
	outShapes := make([]Shape, nout)
	outTypes := make([]tensor.DType, nout)
	for i := range outTypes {
		outTypes[i] = UnknownType
	}
	if err := op.InferShape(params, inShapes, outShapes); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	inferType := op.InferType
	if inferType == nil {
		inferType = SameType
	}
	if err := inferType(params, inTypes, outTypes); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	r := &opRun{op: op, params: params, in: in, threads: threads}
	for i := range outShapes {
		y, err := tensor.New(outTypes[i], outShapes[i]...)
		if err != nil {
			t.Fatalf("%s output %d: %v", name, i, err)
		}
		r.out = append(r.out, y)
	}
	if op.Workspace != nil {
		r.scratch = make([]float32, op.Workspace(params, inShapes)*threads)
	}
	return r
}

// run calls the kernel with context c (nil: none).
func (r *opRun) run(c context.Context) error {
	return r.op.Forward(&Ctx{Threads: r.threads, Scratch: r.scratch, Context: c}, r.params, r.in, r.out)
}

// cancelLatency runs r, cancels its context after delay and returns the
// time from the cancel to the kernel's return, and its error.
func (r *opRun) cancelLatency(delay time.Duration) (time.Duration, error) {
	c, cancel := context.WithCancel(context.Background())
	defer cancel()
	var at atomic.Int64
	time.AfterFunc(delay, func() { at.Store(time.Now().UnixNano()); cancel() })
	err := r.run(c)
	end := time.Now().UnixNano()
	if at.Load() == 0 {
		return 0, err // finished before the cancel
	}
	return time.Duration(end - at.Load()), err
}

// filled returns a float32 tensor of shape with values in [-1, 1).
func filled(t testing.TB, rng *rand.Rand, shape ...int) *tensor.Tensor {
	t.Helper()
	x, err := tensor.New(tensor.Float32, shape...)
	if err != nil {
		t.Fatal(err)
	}
	d := x.Float32s()
	for i := range d {
		d[i] = 2*rng.Float32() - 1
	}
	return x
}

// cancelCase is a long operator call: build(n) makes its inputs with the
// work scaled by n (the batch, time steps or inputs).
type cancelCase struct {
	name  string
	op    string
	attrs map[string]string
	n     int // the scale of the long call (about 2 s on a loaded 2-core machine)
	short int // the scale under -short
	build func(t testing.TB, n int) []*tensor.Tensor
}

func cancelCases() []cancelCase {
	rng := rand.New(rand.NewPCG(3, 4))
	return []cancelCase{
		// A 31×31 window: the vector max pooling does a 3×3 one over
		// these planes in a few milliseconds, before the cancel.
		{"pooling max 31x31", "Pooling", map[string]string{"kernel": "(31, 31)", "pool_type": "max"}, 4, 1,
			func(t testing.TB, n int) []*tensor.Tensor {
				return []*tensor.Tensor{filled(t, rng, n, 64, 256, 256)}
			}},
		{"pooling avg 3x3", "Pooling", map[string]string{"kernel": "(3, 3)", "pool_type": "avg"}, 4, 1,
			func(t testing.TB, n int) []*tensor.Tensor {
				return []*tensor.Tensor{filled(t, rng, n, 64, 256, 256)}
			}},
		{"pooling max 31x31, big planes", "Pooling", map[string]string{"kernel": "(31, 31)", "pool_type": "max", "pad": "(15, 15)"}, 64, 32,
			func(t testing.TB, n int) []*tensor.Tensor {
				return []*tensor.Tensor{filled(t, rng, 1, n, 256, 256)}
			}},
		{"pooling avg 15x15, big planes", "Pooling", map[string]string{"kernel": "(15, 15)", "pool_type": "avg", "pad": "(7, 7)"}, 64, 8,
			func(t testing.TB, n int) []*tensor.Tensor {
				return []*tensor.Tensor{filled(t, rng, 1, n, 256, 256)}
			}},
		{"upsampling nearest x16, 32 inputs summed", "UpSampling",
			map[string]string{"scale": "16", "sample_type": "nearest", "num_args": "32", "multi_input_mode": "sum"}, 2, 1,
			func(t testing.TB, n int) []*tensor.Tensor {
				in := make([]*tensor.Tensor, 32)
				for i := range in {
					in[i] = filled(t, rng, n, 16, 32, 32)
				}
				return in
			}},
		{"RNN lstm 1024", "RNN", map[string]string{"mode": "lstm", "state_size": "1024", "num_layers": "1"}, 160, 32,
			func(t testing.TB, n int) []*tensor.Tensor {
				const nb, in, h = 32, 1024, 1024
				return []*tensor.Tensor{filled(t, rng, n, nb, in), filled(t, rng, 4*h*(in+h)+8*h),
					filled(t, rng, 1, nb, h), filled(t, rng, 1, nb, h)}
			}},
		{"bilinear resize 64->1024", "_contrib_BilinearResize2D", map[string]string{"height": "1024", "width": "1024"}, 4, 2,
			func(t testing.TB, n int) []*tensor.Tensor {
				return []*tensor.Tensor{filled(t, rng, n, 16, 64, 64)}
			}},
	}
}

// TestCancelLongKernels cancels multi-second pooling, upsampling, RNN and
// resize calls 30 ms in and measures how long each kernel takes to return
// after the cancel: they check the context at block boundaries (planes,
// rows, time steps, SGEMM blocks), so the goal is under 10 ms. Runs
// alternate one and two goroutines. The
// assertion allows 100 ms because CI machines are loaded; the worst of
// five runs is logged. -short (the race detector's and qemu's runs, 5-10×
// slower) runs smaller calls, still far longer than 30 ms, and allows
// 500 ms.
func TestCancelLongKernels(t *testing.T) {
	bound := 100 * time.Millisecond
	if testing.Short() {
		bound = 500 * time.Millisecond
	}
	for _, c := range cancelCases() {
		n := c.n
		if testing.Short() {
			n = c.short
		}
		r := prepareOp(t, c.op, c.attrs, c.build(t, n), 2)
		var worst time.Duration
		for i := range 5 {
			r.threads = 1 + i%2 // one goroutine, then two
			lat, err := r.cancelLatency(30 * time.Millisecond)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s: returned %v, want context.Canceled", c.name, err)
			}
			worst = max(worst, lat)
		}
		t.Logf("%s: worst cancellation latency of 5: %v", c.name, worst)
		if worst > bound {
			t.Errorf("%s: returned %v after the cancel", c.name, worst)
		}
	}
}

// TestCancelMeasure (MXGO_CANCEL_MEASURE=1) times each long case at 1/8 of
// its size, uncancelled, and logs the estimated duration of the full call.
func TestCancelMeasure(t *testing.T) {
	if os.Getenv("MXGO_CANCEL_MEASURE") == "" {
		t.Skip("set MXGO_CANCEL_MEASURE=1")
	}
	for _, c := range cancelCases() {
		n := max(c.n/8, 1)
		r := prepareOp(t, c.op, c.attrs, c.build(t, n), 1)
		t0 := time.Now()
		if err := r.run(context.Background()); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		d := time.Since(t0)
		t.Logf("%s: scale %d takes %v, full scale %d ≈ %v", c.name, n, d, c.n, d*time.Duration(c.n)/time.Duration(n))
	}
}

// countCtx is a context whose Done channel reads as closed from its
// (trip+1)-th call on: a kernel run with it is cancelled exactly at its
// trip-th context check, and calls counts the checks it made. Not safe for
// concurrent use (run kernels with one thread).
type countCtx struct {
	context.Context
	calls, trip int
}

var openDone, closedDone = make(chan struct{}), func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (c *countCtx) Done() <-chan struct{} {
	c.calls++
	if c.calls > c.trip {
		return closedDone
	}
	return openDone
}

func (c *countCtx) Err() error {
	if c.calls > c.trip {
		return context.Canceled
	}
	return nil
}

// boxes returns n random corner boxes inside [0, 1)², as rows of width w
// whose columns from c hold x1, y1, x2, y2 (the others random in [0, 1)).
func boxes(t testing.TB, rng *rand.Rand, n, w, c int, shape ...int) *tensor.Tensor {
	t.Helper()
	x, err := tensor.New(tensor.Float32, shape...)
	if err != nil {
		t.Fatal(err)
	}
	d := x.Float32s()
	for i := range n {
		row := d[i*w : (i+1)*w]
		for j := range row {
			row[j] = rng.Float32()
		}
		x0, y0 := 0.8*rng.Float32(), 0.8*rng.Float32()
		row[c], row[c+1], row[c+2], row[c+3] = x0, y0, x0+0.05+0.15*rng.Float32(), y0+0.05+0.15*rng.Float32()
	}
	return x
}

// TestKernelsCheckContext runs every kernel that can run long on inputs
// worth many cancellation chunks with a context that counts its checks:
// each must check it repeatedly during the call (not only at its end), and
// when cancelled at a check halfway through it must return
// context.Canceled at once (within a few checks), never success. Run
// uncancelled, the outputs are bit for bit those of a call without a
// context (SGEMMs are forced into small cancellable blocks).
func TestKernelsCheckContext(t *testing.T) {
	defer func(v int) { sgemmChunkFlops = v }(sgemmChunkFlops)
	sgemmChunkFlops = 1 << 12
	rng := rand.New(rand.NewPCG(5, 6))
	f := func(shape ...int) *tensor.Tensor { return filled(t, rng, shape...) }
	rois := func(n int) *tensor.Tensor {
		r := boxes(t, rng, n, 5, 1, n, 5)
		for i := range n {
			d := r.Float32s()[i*5:]
			d[0] = 0
			for j := 1; j < 5; j++ {
				d[j] *= 64 // feature map coordinates
			}
		}
		return r
	}
	labels := boxes(t, rng, 64, 5, 1, 1, 64, 5)
	for i := range 64 {
		labels.Float32s()[i*5] = float32(i % 3)
	}
	cls := f(1, 2, 4096)
	for i, v := range cls.Float32s() {
		cls.Float32s()[i] = (v + 1) / 2
	}
	cases := []struct {
		name  string
		op    string
		attrs map[string]string
		in    []*tensor.Tensor
	}{
		{"pooling max", "Pooling", map[string]string{"kernel": "(3, 3)", "pool_type": "max"}, []*tensor.Tensor{f(1, 64, 128, 128)}},
		{"pooling avg", "Pooling", map[string]string{"kernel": "(3, 3)", "pool_type": "avg"}, []*tensor.Tensor{f(1, 16, 128, 128)}},
		{"pooling max 15x15, one plane", "Pooling", map[string]string{"kernel": "(15, 15)", "pool_type": "max"}, []*tensor.Tensor{f(1, 1, 160, 160)}},
		{"pooling avg 15x15, one plane", "Pooling", map[string]string{"kernel": "(15, 15)", "pool_type": "avg"}, []*tensor.Tensor{f(1, 1, 160, 160)}},
		{"upsampling nearest", "UpSampling", map[string]string{"scale": "4", "sample_type": "nearest", "num_args": "1"}, []*tensor.Tensor{f(1, 16, 64, 64)}},
		{"upsampling nearest, one big plane", "UpSampling", map[string]string{"scale": "16", "sample_type": "nearest", "num_args": "1"}, []*tensor.Tensor{f(1, 1, 64, 64)}},
		{"upsampling nearest sum", "UpSampling", map[string]string{"scale": "8", "sample_type": "nearest", "num_args": "2", "multi_input_mode": "sum"},
			[]*tensor.Tensor{f(1, 4, 32, 32), f(1, 4, 64, 64)}},
		{"RNN lstm", "RNN", map[string]string{"mode": "lstm", "state_size": "64", "num_layers": "2", "bidirectional": "true"},
			[]*tensor.Tensor{f(32, 4, 64), f(2*(4*64*(64+64)+8*64) + 2*(4*64*(128+64)+8*64)), f(4, 4, 64), f(4, 4, 64)}},
		{"RNN gru", "RNN", map[string]string{"mode": "gru", "state_size": "64", "num_layers": "1"},
			[]*tensor.Tensor{f(64, 4, 64), f(3*64*(64+64) + 6*64), f(1, 4, 64)}},
		{"bilinear resize", "_contrib_BilinearResize2D", map[string]string{"height": "256", "width": "256"}, []*tensor.Tensor{f(1, 8, 32, 32)}},
		{"adaptive avg pooling", "_contrib_AdaptiveAvgPooling2D", map[string]string{"output_size": "(60, 60)"}, []*tensor.Tensor{f(1, 32, 128, 128)}},
		{"roialign", "_contrib_ROIAlign", map[string]string{"pooled_size": "(7, 7)", "spatial_scale": "1", "sample_ratio": "2"},
			[]*tensor.Tensor{f(1, 8, 64, 64), rois(512)}},
		{"box_nms", "_contrib_box_nms", map[string]string{"overlap_thresh": "0.99"}, []*tensor.Tensor{boxes(t, rng, 4096, 6, 2, 1, 4096, 6)}},
		{"box_iou", "_contrib_box_iou", nil, []*tensor.Tensor{boxes(t, rng, 1024, 4, 0, 1024, 4), boxes(t, rng, 1024, 4, 0, 1024, 4)}},
		{"MultiBoxDetection", "_contrib_MultiBoxDetection", map[string]string{"nms_threshold": "0.99", "force_suppress": "true"},
			[]*tensor.Tensor{cls, f(1, 4*4096), boxes(t, rng, 4096, 4, 0, 1, 4096, 4)}},
		{"MultiBoxTarget", "_contrib_MultiBoxTarget", nil, []*tensor.Tensor{boxes(t, rng, 4096, 4, 0, 1, 4096, 4), labels, f(1, 2, 4096)}},
		{"topk", "topk", map[string]string{"k": "10", "ret_typ": "both"}, []*tensor.Tensor{f(64, 4096)}},
		{"sort", "sort", nil, []*tensor.Tensor{f(64, 4096)}},
		{"dot", "dot", map[string]string{"transpose_b": "true"}, []*tensor.Tensor{f(512, 64), f(1024, 64)}},
		{"broadcast_add, one long row", "broadcast_add", nil, []*tensor.Tensor{f(1, 1<<20), f(1, 1<<20)}},
		{"Activation tanh", "Activation", map[string]string{"act_type": "tanh"}, []*tensor.Tensor{f(16, 65536+7)}},
		{"exp", "exp", nil, []*tensor.Tensor{f(1 << 20)}},
		{"sum over axis 0", "sum", map[string]string{"axis": "0"}, []*tensor.Tensor{f(4096, 256)}},
		{"mean over axis 1", "mean", map[string]string{"axis": "1"}, []*tensor.Tensor{f(256, 4096)}},
		{"softmax", "softmax", nil, []*tensor.Tensor{f(4096, 256)}},
		{"softmax axis 1, float64 output", "softmax", map[string]string{"axis": "1", "dtype": "float64"}, []*tensor.Tensor{f(16, 256, 64)}},
		{"SoftmaxOutput", "SoftmaxOutput", nil, []*tensor.Tensor{f(4096, 256), f(4096)}},
		{"elemwise_add", "elemwise_add", nil, []*tensor.Tensor{f(1<<20 + 3), f(1<<20 + 3)}},
		{"broadcast_mul, rows", "broadcast_mul", nil, []*tensor.Tensor{f(4096, 256), f(1, 256)}},
		{"broadcast_sub, lhs repeated", "broadcast_sub", nil, []*tensor.Tensor{f(4096, 1), f(4096, 256)}},
		{"batch_dot", "batch_dot", nil, []*tensor.Tensor{f(16, 8, 64), f(16, 64, 8)}},
		{"argsort", "argsort", nil, []*tensor.Tensor{f(64, 4096)}},
	}
	for _, c := range cases {
		r := prepareOp(t, c.op, c.attrs, c.in, 1)
		if err := r.run(nil); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := make([][]byte, len(r.out))
		for i, y := range r.out {
			want[i] = bytes.Clone(y.Bytes())
		}
		full := &countCtx{Context: context.Background(), trip: math.MaxInt}
		if err := r.run(full); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i, y := range r.out {
			if !bytes.Equal(y.Bytes(), want[i]) {
				t.Errorf("%s: output %d differs with a context", c.name, i)
			}
		}
		if full.calls < 8 {
			t.Errorf("%s: %d context checks in the whole call, want at least 8", c.name, full.calls)
			continue
		}
		half := &countCtx{Context: context.Background(), trip: full.calls / 2}
		if err := r.run(half); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled at check %d of %d, returned %v", c.name, half.trip, full.calls, err)
		}
		if half.calls > half.trip+3 {
			t.Errorf("%s: went on for %d checks after the cancel", c.name, half.calls-half.trip)
		}
		t.Logf("%s: %d checks", c.name, full.calls)
	}
}
