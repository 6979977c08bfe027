package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// rnnWS is the RNN kernel's workspace layout (float32 counts).
type rnnWS struct {
	gx, gh, h, c, tmp, proj, y int // lengths
}

func (m *rnnDims) workspace() (rnnWS, bool) {
	var w rnnWS
	var ok1, ok2, ok3 bool
	w.gx, ok1 = checkedMul(m.t, m.n, m.g, m.h)
	w.y, ok2 = checkedMul(m.t, m.n, m.d, m.r)
	_, ok3 = checkedMul(m.n, m.g+4, m.h+m.r)
	if !ok1 || !ok2 || !ok3 {
		return w, false
	}
	if m.l == 1 {
		w.y = 0
	}
	w.gh, w.h, w.c, w.tmp = m.n*m.g*m.h, m.n*m.r, m.n*m.h, m.n*m.h
	if m.proj {
		w.proj = m.n * m.r
	}
	if w.gx > math.MaxInt/4 || w.y > math.MaxInt/4 {
		return w, false // the sum could overflow
	}
	return w, true
}

func (w rnnWS) total() int { return w.gx + w.gh + w.h + w.c + w.tmp + w.proj + w.y }

// rnnWorkspace is one layer direction's input projections for all time
// steps (T·N × G·H), the recurrent projection of one step (N × G·H), the
// state h (N × R) and cell c (N × H), the pre-projection hidden (N × H),
// the projected state (N × R, LSTMP only) and, for more than one layer, a
// (T, N, D·R) buffer that alternates with the output as layer input and
// output.
func rnnWorkspace(params any, in []Shape) int {
	if len(in) == 0 || !ShapeKnown(in[0]) || len(in[0]) != 3 {
		return 0
	}
	m := newRNNDims(params.(*RNNParam), in[0][0], in[0][1], in[0][2])
	w, ok := m.workspace()
	if !ok {
		return 0 // Forward reports the overflow
	}
	return w.total()
}

// rnnForward is the fused RNN at inference as MXNet's CPU kernels
// (rnn_impl.h) compute it, layer by layer and direction by direction (p is
// ignored, as MXNet ignores it outside training; a training pass with
// p > 0 is refused):
//
//   - gx = X·Wxᵀ + bx (+ bh except for GRU) for all T·N rows in one Sgemm;
//   - per step, gh = h·Whᵀ (one Sgemm of N rows; + bh for GRU), then the
//     cell: relu/tanh(gx+gh); LSTM i,f,o = σ, g = tanh, c' = f·c + i·g
//     (clipped to the state clip range when set), h' = o·tanh(c') (times
//     Wrᵀ with projection); GRU r,z = σ(gx+gh), n = tanh(gx_n + r·gh_n),
//     h' = (1−z)·n + z·h;
//   - the reverse direction runs t = T−1…0 and fills the second half of
//     each output row.
//
// With sequence_length, sample j runs only its first len_j steps (the
// reverse direction from len_j−1 down to 0); later outputs are 0 and the
// state outputs hold its state after its last step, as cuDNN computes it.
func rnnForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*RNNParam)
	if ctx.Train && p.P > 0 {
		return fmt.Errorf("RNN: dropout p=%g between layers in training is not supported", p.P)
	}
	nf := len(in)
	if p.UseSequenceLength {
		nf--
	}
	if err := float32Only("RNN", in[:nf], out); err != nil {
		return err
	}
	x := in[0]
	if x.NDim() != 3 {
		return fmt.Errorf("RNN: data %s must be 3-D", x)
	}
	m := newRNNDims(p, x.Dim(0), x.Dim(1), x.Dim(2))
	ws, ok := m.workspace()
	size, ok2 := m.paramSize()
	if !ok || !ok2 {
		return fmt.Errorf("RNN: sizes of data %s overflow", x)
	}
	if in[1].Len() != size {
		return fmt.Errorf("RNN: parameters has %d elements, want %d", in[1].Len(), size)
	}
	ld := m.l * m.d
	if in[2].Len() != ld*m.n*m.r || out[0].Len() != m.t*m.n*m.d*m.r {
		return fmt.Errorf("RNN: state %s or output %s does not match data %s", in[2], out[0], x)
	}
	if len(ctx.Scratch) < ws.total() {
		return fmt.Errorf("RNN: workspace has %d floats, need %d", len(ctx.Scratch), ws.total())
	}
	var seq *tensor.Tensor
	if p.UseSequenceLength {
		seq = in[nf]
		if seq.Len() != m.n {
			return fmt.Errorf("RNN: sequence_length %s, want %d entries", seq, m.n)
		}
		for j := range m.n {
			v := seq.Float64At(j)
			if v != math.Trunc(v) || v < 1 || v > float64(m.t) {
				return fmt.Errorf("RNN: sequence_length[%d] = %g outside [1, %d]", j, v, m.t)
			}
		}
	}
	var hy, cy, cx []float32
	if len(out) > 1 {
		hy = out[1].Float32s()
	}
	if len(out) > 2 {
		cy = out[2].Float32s()
	}
	if p.Mode == RNNLSTM {
		cx = in[3].Float32s()
		if len(cx) != ld*m.n*m.h {
			return fmt.Errorf("RNN: state_cell %s does not match data %s", in[3], x)
		}
	}
	if m.t == 0 || m.n == 0 {
		copy(hy, in[2].Float32s())
		copy(cy, cx)
		return nil
	}

	s := ctx.Scratch
	r := rnnRun{m: m, p: p, ctx: ctx, seq: seq}
	r.gx, s = s[:ws.gx], s[ws.gx:]
	r.gh, s = s[:ws.gh], s[ws.gh:]
	r.h, s = s[:ws.h], s[ws.h:]
	r.c, s = s[:ws.c], s[ws.c:]
	r.tmp, s = s[:ws.tmp], s[ws.tmp:]
	r.proj, s = s[:ws.proj], s[ws.proj:]
	ybuf := s[:ws.y]
	if lo, hi := p.LSTMStateClipMin, p.LSTMStateClipMax; lo.Set && hi.Set {
		r.clip, r.lo, r.hi = true, float32(lo.Value), float32(hi.Value)
	}

	w := in[1].Float32s()
	wOff, bOff := 0, size-2*m.g*m.h*ld
	hx := in[2].Float32s()
	xs := x.Float32s()
	for l := range m.l {
		dst := out[0].Float32s()
		if (m.l-1-l)%2 == 1 {
			dst = ybuf
		}
		il := m.layerIn(l)
		for d := range m.d {
			st := l*m.d + d
			wl := w[wOff : wOff+m.weightLen(l)]
			wOff += m.weightLen(l)
			b := w[bOff : bOff+2*m.g*m.h]
			bOff += 2 * m.g * m.h
			copy(r.h, hx[st*m.n*m.r:(st+1)*m.n*m.r])
			if cx != nil {
				copy(r.c, cx[st*m.n*m.h:(st+1)*m.n*m.h])
			}
			if err := r.direction(xs, il, wl, b, dst, d); err != nil {
				return err
			}
			if hy != nil {
				copy(hy[st*m.n*m.r:], r.h)
			}
			if cy != nil {
				copy(cy[st*m.n*m.h:], r.c)
			}
		}
		xs = dst
	}
	return ctx.Err()
}

// rnnRun is one forward call's state: sizes and workspace slices.
type rnnRun struct {
	m                       rnnDims
	p                       *RNNParam
	ctx                     *Ctx
	seq                     *tensor.Tensor
	gx, gh, h, c, tmp, proj []float32
	clip                    bool
	lo, hi                  float32
}

// active reports whether sample j runs at time t.
func (r *rnnRun) active(j, t int) bool {
	return r.seq == nil || float64(t) < r.seq.Float64At(j)
}

// direction runs one direction d of a layer over x (T·N × il) with the
// weights wl (i2h, h2h[, h2r]) and biases b (bx, bh), from the state in
// r.h / r.c, writing its half of dst (T, N, D·R) and leaving the final
// state in r.h / r.c. It checks the context within the input projection
// (sgemmCtx) and at every time step, returning its error once cancelled.
func (r *rnnRun) direction(x []float32, il int, wl, b []float32, dst []float32, d int) error {
	m := &r.m
	gh := m.g * m.h
	wx, wh := wl[:gh*il], wl[gh*il:gh*(il+m.r)]
	wr := wl[gh*(il+m.r):]
	bx, bh := b[:gh], b[gh:]
	rows := m.t * m.n
	if err := sgemmCtx(r.ctx, r.ctx.Threads, false, true, rows, gh, il, 1, x, il, wx, il, 0, r.gx, gh); err != nil {
		return err
	}
	asm.AddBias(r.gx, rows, gh, gh, bx)
	if r.p.Mode != RNNGRU {
		asm.AddBias(r.gx, rows, gh, gh, bh)
	}
	dr := m.d * m.r
	for step := range m.t {
		t := step
		if d == 1 {
			t = m.t - 1 - step
		}
		if err := sgemmCtx(r.ctx, r.ctx.Threads, false, true, m.n, gh, m.r, 1, r.h, m.r, wh, m.r, 0, r.gh, gh); err != nil {
			return err
		}
		if r.p.Mode == RNNGRU {
			asm.AddBias(r.gh, m.n, gh, gh, bh)
		}
		for j := range m.n {
			y := dst[(t*m.n+j)*dr+d*m.r : (t*m.n+j)*dr+(d+1)*m.r]
			if !r.active(j, t) {
				clear(y)
				continue
			}
			g := r.gh[j*gh : (j+1)*gh]
			gxr := r.gx[(t*m.n+j)*gh : (t*m.n+j+1)*gh]
			h := r.h[j*m.r : (j+1)*m.r]
			switch r.p.Mode {
			case RNNRelu:
				asm.Add(g, g, gxr)
				asm.Relu(h, g)
			case RNNTanh:
				asm.Add(g, g, gxr)
				asm.Tanh(h, g)
			case RNNGRU:
				r.gru(g, gxr, h)
			case RNNLSTM:
				r.lstm(g, gxr, j, h)
			}
			if !m.proj {
				copy(y, h)
			}
		}
		if m.proj {
			// h = (o·tanh c)·Wrᵀ for the active samples.
			if err := sgemmCtx(r.ctx, r.ctx.Threads, false, true, m.n, m.r, m.h, 1, r.tmp, m.h, wr, m.h, 0, r.proj, m.r); err != nil {
				return err
			}
			for j := range m.n {
				if r.active(j, t) {
					copy(r.h[j*m.r:(j+1)*m.r], r.proj[j*m.r:(j+1)*m.r])
					copy(dst[(t*m.n+j)*dr+d*m.r:], r.proj[j*m.r:(j+1)*m.r])
				}
			}
		}
	}
	return nil
}

// gru updates h from the step's pre-activations g = h·Whᵀ + bh and
// gx = x·Wxᵀ + bx (gates r, z, n): r, z = σ(gx + g), n = tanh(gx_n +
// r·g_n), h = n + z·(h − n).
func (r *rnnRun) gru(g, gx, h []float32) {
	n := r.m.h
	rz := g[:2*n]
	asm.Add(rz, rz, gx[:2*n])
	asm.Sigmoid(rz, rz)
	gn := g[2*n:]
	asm.Mul(gn, gn, rz[:n])
	asm.Add(gn, gn, gx[2*n:])
	asm.Tanh(gn, gn)
	t := r.tmp[:n]
	asm.Sub(t, h, gn)
	asm.Mul(t, t, rz[n:])
	asm.Add(h, gn, t)
}

// lstm updates sample j's cell and writes its hidden o·tanh(c) to h (or,
// with projection, to row j of r.tmp): g holds the gate pre-activations
// without gx (i, f, g, o).
func (r *rnnRun) lstm(g, gx []float32, j int, h []float32) {
	n := r.m.h
	asm.Add(g, g, gx)
	asm.Sigmoid(g[:2*n], g[:2*n])
	asm.Tanh(g[2*n:3*n], g[2*n:3*n])
	asm.Sigmoid(g[3*n:], g[3*n:])
	c := r.c[j*n : (j+1)*n]
	asm.Mul(c, c, g[n:2*n])
	ig := g[2*n : 3*n]
	asm.Mul(ig, ig, g[:n])
	asm.Add(c, c, ig)
	if r.clip {
		r.clipCell(c)
	}
	hid := r.tmp[j*n : (j+1)*n]
	asm.Tanh(hid, c)
	if r.m.proj {
		asm.Mul(hid, hid, g[3*n:])
		return
	}
	asm.Mul(h, hid, g[3*n:])
}

// clipCell clips c to [lo, hi]; NaN becomes lo with lstm_state_clip_nan
// (fmin(fmax(c, lo), hi)) and stays NaN otherwise.
func (r *rnnRun) clipCell(c []float32) {
	for k, v := range c {
		switch {
		case v != v:
			if r.p.LSTMStateClipNaN {
				c[k] = r.lo
			}
		case v < r.lo:
			c[k] = r.lo
		case v > r.hi:
			c[k] = r.hi
		}
	}
}
