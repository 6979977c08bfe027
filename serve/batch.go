package serve

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/mxgo/mxgo/tensor"
)

// job is one inference request waiting for its batch.
type job struct {
	ctx    context.Context
	inputs []*tensor.Tensor // in the model's input order
	rows   int              // the batch dimension of the inputs
	res    chan jobResult   // buffered: the runner never blocks
}

type jobResult struct {
	outs  []outTensor
	epoch int64 // of the parameters that computed outs
	err   error
}

// outTensor is one output of one request: little-endian element bytes
// (possibly a slice of a batched output, not to be modified).
type outTensor struct {
	name  string
	dtype tensor.DType
	shape []int
	data  []byte
}

// submit queues the inputs on v and waits for the outputs. When the model's
// queue bound is reached it refuses at once with kindExhausted; when ctx is
// cancelled the job is skipped if still queued.
func (v *variant) submit(ctx context.Context, inputs []*tensor.Tensor, rows int) ([]outTensor, int64, error) {
	l := v.l
	if l.pending.Add(1) > int64(l.m.s.opts.MaxQueue) {
		l.pending.Add(-1)
		return nil, 0, errorf(kindExhausted, "model %s: queue full (%d requests waiting or running); retry later", l.name, l.m.s.opts.MaxQueue)
	}
	j := &job{ctx: ctx, inputs: inputs, rows: rows, res: make(chan jobResult, 1)}
	select {
	case v.queue <- j:
	default: // cannot happen while pending bounds the channel, but never block
		v.finish(j, nil, 0, errorf(kindExhausted, "model %s: queue full; retry later", l.name))
	}
	select {
	case r := <-j.res:
		return r.outs, r.epoch, r.err
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	case <-l.ctx.Done():
		return nil, 0, errorf(kindUnavailable, "model %s is being unloaded", l.name)
	}
}

// finish answers a job and releases its queue slot.
func (v *variant) finish(j *job, outs []outTensor, epoch int64, err error) {
	j.res <- jobResult{outs, epoch, err}
	v.l.pending.Add(-1)
}

// dispatch forms batches: it takes the first queued job, waits up to
// MaxDelay for more until MaxBatch rows, waits for a free concurrency
// slot, tops the batch up with whatever queued meanwhile, and runs it.
func (v *variant) dispatch() {
	l := v.l
	defer l.wg.Done()
	o := &l.m.s.opts
	maxRows := o.MaxBatch
	if !v.batchable {
		maxRows = 1
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var carry *job
	unavailable := func(batch []*job) {
		err := errorf(kindUnavailable, "model %s is being unloaded", l.name)
		for _, j := range batch {
			v.finish(j, nil, 0, err)
		}
		for {
			select {
			case j := <-v.queue:
				v.finish(j, nil, 0, err)
			default:
				return
			}
		}
	}
	// add puts j into the batch, or carries it to the next one when it
	// does not fit; it reports whether the batch can take more.
	var batch []*job
	var rows int
	add := func(j *job) bool {
		if j.ctx.Err() != nil {
			v.finish(j, nil, 0, j.ctx.Err())
			return true
		}
		if rows+j.rows > maxRows && len(batch) > 0 {
			carry = j
			return false
		}
		batch = append(batch, j)
		rows += j.rows
		return rows < maxRows
	}
	for {
		batch, rows = nil, 0
		if carry != nil {
			j := carry
			carry = nil
			add(j)
		}
		if len(batch) == 0 {
			select {
			case j := <-v.queue:
				add(j)
			case <-l.ctx.Done():
				unavailable(nil)
				return
			}
			if len(batch) == 0 {
				continue // it was cancelled
			}
		}
		if rows < maxRows && carry == nil {
			timer.Reset(o.MaxDelay)
		collect:
			for {
				select {
				case j := <-v.queue:
					if !add(j) {
						break collect
					}
				case <-timer.C:
					break collect
				case <-batch[0].ctx.Done():
					// Its client left: answer the batch's cancelled jobs now
					// so their queue slots free up, and keep waiting for
					// the rest (if any).
					rows = v.prune(&batch)
					if len(batch) == 0 {
						break collect
					}
				case <-l.ctx.Done():
					timer.Stop()
					unavailable(batch)
					return
				}
			}
			timer.Stop()
			if len(batch) == 0 {
				continue
			}
		}
		select {
		case l.sem <- struct{}{}:
		case <-l.ctx.Done():
			unavailable(batch)
			return
		}
	topUp:
		for rows < maxRows && carry == nil {
			select {
			case j := <-v.queue:
				if !add(j) {
					break topUp
				}
			default:
				break topUp
			}
		}
		l.wg.Add(1)
		go func(batch []*job, rows int) {
			defer l.wg.Done()
			defer func() { <-l.sem }()
			v.run(batch, rows)
		}(batch, rows)
	}
}

// prune answers the cancelled jobs of a batch being collected, removes
// them, and returns the rows left.
func (v *variant) prune(batch *[]*job) int {
	kept, rows := (*batch)[:0], 0
	for _, j := range *batch {
		if err := j.ctx.Err(); err != nil {
			v.finish(j, nil, 0, err)
			continue
		}
		kept = append(kept, j)
		rows += j.rows
	}
	*batch = kept
	return rows
}

// run executes one batch and answers its jobs.
func (v *variant) run(batch []*job, rows int) {
	live := batch[:0:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			v.finish(j, nil, 0, err)
			rows -= j.rows
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	v.l.m.s.metrics.batch.WithLabelValues(v.l.name).Observe(float64(rows))
	var ins []*tensor.Tensor
	ctx := live[0].ctx
	if len(live) == 1 {
		ins = live[0].inputs
	} else {
		var err error
		if ins, err = stack(live, rows, padRows(rows, v.l.m.s.opts.MaxBatch)); err != nil {
			for _, j := range live {
				v.finish(j, nil, 0, err)
			}
			return
		}
		// The batch stops early only when every one of its clients left.
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(context.Background())
		defer cancel()
		var left atomic.Int64
		left.Store(int64(len(live)))
		for _, j := range live {
			stop := context.AfterFunc(j.ctx, func() {
				if left.Add(-1) == 0 {
					cancel()
				}
			})
			defer stop()
		}
	}
	// Hold off parameter swaps while Predict runs, so that the epoch
	// reported is the one that computed the outputs.
	v.l.paramMu.RLock()
	epoch := v.l.epoch.Load()
	outs, err := v.m.Predict(ctx, ins, nil)
	v.l.paramMu.RUnlock()
	if err != nil {
		for _, j := range live {
			if e := j.ctx.Err(); e != nil {
				v.finish(j, nil, 0, e)
			} else {
				v.l.m.s.log.Error("predict failed", "model", v.l.name, "err", err)
				v.finish(j, nil, 0, fmt.Errorf("model %s: %w", v.l.name, err))
			}
		}
		return
	}
	padded := rows
	if len(live) > 1 {
		padded = padRows(rows, v.l.m.s.opts.MaxBatch)
	}
	off := 0
	for _, j := range live {
		res := make([]outTensor, len(outs))
		for i, o := range outs {
			res[i] = outTensor{name: v.outputs[i].name, dtype: o.DType(), shape: o.Shape(), data: o.Bytes()}
			if len(live) > 1 {
				// batchable: every output has dim 0 == rows
				per := len(res[i].data) / padded
				res[i].data = res[i].data[off*per : (off+j.rows)*per]
				res[i].shape = slices.Clone(res[i].shape)
				res[i].shape[0] = j.rows
			}
		}
		off += j.rows
		v.finish(j, res, epoch, nil)
	}
}

// padRows rounds a batch of rows up to the next power of two (at most
// maxBatch), so that a model compiles and keeps memory plans for a few
// batch sizes instead of every size up to maxBatch.
func padRows(rows, maxBatch int) int {
	p := 1
	for p < rows {
		p *= 2
	}
	return max(rows, min(p, maxBatch))
}

// planCache is the number of memory plans a served model keeps: one per
// padded batch size (1, 2, 4, ..., maxBatch) and a few for requests that
// run alone with other batch sizes.
func planCache(maxBatch int) int {
	n := 1
	for p := 1; p < maxBatch; p *= 2 {
		n++
	}
	return n + 4
}

// stack concatenates the jobs' inputs along the batch axis into padded
// rows (the rows after the jobs' are zero; their outputs are dropped).
func stack(jobs []*job, rows, padded int) ([]*tensor.Tensor, error) {
	ins := make([]*tensor.Tensor, len(jobs[0].inputs))
	for i, first := range jobs[0].inputs {
		shape := first.Shape()
		shape[0] = padded
		t, err := tensor.New(first.DType(), shape...)
		if err != nil {
			return nil, err
		}
		dst := t.Bytes()
		for _, j := range jobs {
			dst = dst[copy(dst, j.inputs[i].Bytes()):]
		}
		ins[i] = t
	}
	return ins, nil
}
