package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/internal/parallel"
	"github.com/mxgo/mxgo/tensor"
)

// softmaxAxis applies softmax (or log_softmax) along the middle dim of x
// viewed as (outer, n, inner), writing y (which may alias x). lengths, when
// not nil, gives per (outer, inner) position the number of leading entries
// that take part; the others are set to 0. It checks ctx between rows and
// returns its error once cancelled.
func softmaxAxis(ctx *Ctx, y, x []float32, outer, n, inner int, temp float32, log bool, lengths *tensor.Tensor) error {
	if n == 0 {
		return nil
	}
	cc := cancelCheck{ctx: ctx}
	if inner > 1 && lengths == nil {
		return softmaxColumns(ctx, &cc, y, x, outer, n, inner, temp, log)
	}
	if inner == 1 && lengths == nil && !log {
		// Whole rows, contiguous: a block of rows per kernel call (the
		// bits of a call per row).
		block := max(cancelChunk/(4*n), 1)
		for lo := 0; lo < outer; lo += block {
			rows := min(block, outer-lo)
			if err := cc.tick(4 * n * rows); err != nil {
				return err
			}
			asm.SoftmaxRows(y[lo*n:(lo+rows)*n], x[lo*n:(lo+rows)*n], n, temp)
		}
		return ctx.Err()
	}
	for o := range outer {
		for i := range inner {
			if err := cc.tick(4 * n); err != nil { // a row reads x twice and writes y twice
				return err
			}
			base := o*n*inner + i
			m := n
			if lengths != nil {
				m = min(max(int(lengths.Float64At(o*inner+i)), 0), n)
				for j := m; j < n; j++ {
					y[base+j*inner] = 0
				}
			}
			if m == 0 {
				continue
			}
			if inner == 1 {
				softmaxRow(y[base:base+m], x[base:base+m], temp, log)
				continue
			}
			softmaxStrided(y[base:], x[base:], m, inner, temp, log)
		}
	}
	return ctx.Err()
}

// softmaxRow is one contiguous row: exp((x − max)/T)/Σ, or for log
// (x − max)/T − log Σ, through the asm row kernels.
func softmaxRow(dst, x []float32, temp float32, log bool) {
	if log {
		asm.LogSoftmax(dst, x, temp)
		return
	}
	asm.Softmax(dst, x, temp)
}

// softmaxColumnsBlock is how many positions softmaxColumns does at a time
// (its three scratch rows stay in L1).
const softmaxColumnsBlock = 1024

var softmaxColumnsBufs parallel.FreeList[[3 * softmaxColumnsBlock]float32]

// softmaxColumns is softmaxAxis for inner > 1 without lengths (softmax
// over the channels of NCHW data: SoftmaxActivation's channel mode, a
// detector's class scores): each position's n values lie inner apart, so
// a block of positions is done at once, every step a vector pass over the
// block — the max (MaxFirst, channels in order, as softmaxStrided's
// comparisons), the exponentials and their float32 sum (channels in
// order), then the division — rather than a strided scalar loop per
// position. A position's result depends on its values only, not on the
// block or the batch.
func softmaxColumns(ctx *Ctx, cc *cancelCheck, y, x []float32, outer, n, inner int, temp float32, log bool) error {
	buf := softmaxColumnsBufs.Get()
	defer softmaxColumnsBufs.Put(buf)
	const blk = softmaxColumnsBlock
	for o := range outer {
		base := o * n * inner
		for i0 := 0; i0 < inner; i0 += blk {
			w := min(blk, inner-i0)
			if err := cc.tick(4 * n * w); err != nil {
				return err
			}
			mx, sum, e := buf[:w], buf[blk:blk+w], buf[2*blk:2*blk+w]
			at := func(s []float32, j int) []float32 { return s[base+j*inner+i0 : base+j*inner+i0+w] }
			copy(mx, at(x, 0))
			for j := 1; j < n; j++ {
				asm.MaxFirst(mx, at(x, j), mx)
			}
			clear(sum)
			for j := range n {
				softmaxShifted(e, at(x, j), mx, temp)
				asm.Exp(e, e)
				asm.Add(sum, sum, e)
				if !log {
					copy(at(y, j), e) // x's channel j is not read again
				}
			}
			if log {
				asm.Log(sum, sum)
				for j := range n {
					yj := at(y, j)
					softmaxShifted(yj, at(x, j), mx, temp)
					asm.Sub(yj, yj, sum)
				}
				continue
			}
			for j := range n {
				asm.Div(at(y, j), at(y, j), sum)
			}
		}
	}
	return ctx.Err()
}

// softmaxShifted sets dst = (x − mx)/temp.
func softmaxShifted(dst, x, mx []float32, temp float32) {
	asm.Sub(dst, x, mx)
	if temp != 1 {
		for i, v := range dst {
			dst[i] = v / temp
		}
	}
}

// softmaxStrided is softmaxRow over n elements spaced by stride.
func softmaxStrided(dst, x []float32, n, stride int, temp float32, log bool) {
	mx := x[0]
	for j := 1; j < n; j++ {
		if v := x[j*stride]; mx < v {
			mx = v
		}
	}
	var sum float32
	for j := range n {
		sum += softmaxExp((x[j*stride] - mx) / temp)
	}
	if log {
		ls := float32(math.Log(float64(sum)))
		for j := range n {
			dst[j*stride] = (x[j*stride]-mx)/temp - ls
		}
		return
	}
	for j := range n {
		dst[j*stride] = softmaxExp((x[j*stride]-mx)/temp) / sum
	}
}

// softmaxAxis64 is softmaxAxis computing in and writing float64 (softmax
// with dtype=float64).
func softmaxAxis64(ctx *Ctx, y []float64, x []float32, outer, n, inner int, temp float64, log bool, lengths *tensor.Tensor) error {
	cc := cancelCheck{ctx: ctx}
	for o := range outer {
		for i := range inner {
			if err := cc.tick(4 * n); err != nil {
				return err
			}
			base := o*n*inner + i
			m := n
			if lengths != nil {
				m = min(max(int(lengths.Float64At(o*inner+i)), 0), n)
				for j := m; j < n; j++ {
					y[base+j*inner] = 0
				}
			}
			if m == 0 {
				continue
			}
			mx := math.Inf(-1)
			for j := range m {
				mx = math.Max(mx, float64(x[base+j*inner]))
			}
			var sum float64
			for j := range m {
				sum += math.Exp((float64(x[base+j*inner]) - mx) / temp)
			}
			for j := range m {
				v := (float64(x[base+j*inner]) - mx) / temp
				if log {
					y[base+j*inner] = v - math.Log(sum)
				} else {
					y[base+j*inner] = math.Exp(v) / sum
				}
			}
		}
	}
	return ctx.Err()
}

// softmaxExp is float32 exp.
func softmaxExp(v float32) float32 { return float32(math.Exp(float64(v))) }

// softmaxForward computes softmax and log_softmax along axis with the
// temperature (converted to float32 first) and optional lengths.
func softmaxForward(log bool) Kernel {
	return func(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
		p := params.(*SoftmaxParam)
		name := "softmax"
		if log {
			name = "log_softmax"
		}
		x, y := in[0], out[0]
		if x.DType() != tensor.Float32 || (y.DType() != tensor.Float32 && y.DType() != tensor.Float64) {
			return fmt.Errorf("%s: %s to %s not supported, only float32 (to float32 or float64)", name, x.DType(), y.DType())
		}
		outer, n, inner, err := normSplit(x, p.Axis)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		var lengths *tensor.Tensor
		if p.UseLength.Get(false) {
			lengths = in[1]
			if lengths.Len() != outer*inner && !(x.NDim() == 1 && lengths.Len() == 1) {
				return fmt.Errorf("%s: length has %d elements, want %d", name, lengths.Len(), outer*inner)
			}
		}
		if y.Len() != x.Len() {
			return fmt.Errorf("%s: output has %d elements, data %d", name, y.Len(), x.Len())
		}
		temp := float32(p.Temperature.Get(1))
		if y.DType() == tensor.Float64 {
			yd, _ := tensor.Data[float64](y)
			return softmaxAxis64(ctx, yd, x.Float32s(), outer, n, inner, float64(temp), log, lengths)
		}
		return softmaxAxis(ctx, y.Float32s(), x.Float32s(), outer, n, inner, temp, log, lengths)
	}
}

// softmaxActivationForward computes SoftmaxActivation: instance mode over
// the last axis of the data viewed as 2-D, channel mode over axis 1.
func softmaxActivationForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*SoftmaxActivationParam)
	x, y := in[0], out[0]
	if x.DType() != tensor.Float32 || y.DType() != tensor.Float32 {
		return fmt.Errorf("softmax activation: %s not supported, only float32", x.DType())
	}
	xd, yd := x.Float32s(), y.Float32s()
	if len(yd) != len(xd) || x.NDim() == 0 {
		return fmt.Errorf("softmax activation: output has %d elements, data %d", len(yd), len(xd))
	}
	if p.Mode == SoftmaxChannel {
		if x.NDim() < 3 {
			return fmt.Errorf("softmax activation: channel mode needs data of at least 3 dims, got %d", x.NDim())
		}
		outer, n, inner, _ := normSplit(x, 1)
		return softmaxAxis(ctx, yd, xd, outer, n, inner, 1, false, nil)
	}
	n := x.Dim(x.NDim() - 1)
	if n == 0 {
		return nil
	}
	return softmaxAxis(ctx, yd, xd, len(xd)/n, n, 1, 1, false, nil)
}
