package ops

import "github.com/mxgo/mxgo/internal/parallel"

// layerParallelMin is the output size from which the layer kernels
// (AdaptiveAvgPooling2D, BilinearResize2D, ROIAlign) split their work
// over Ctx.Threads; below it waking goroutines costs more than it saves.
const layerParallelMin = 1 << 16

// layerJob splits [0, n) items (planes or rois) of one layer kernel over
// goroutines: run(lo, hi) does items [lo, hi), checking ctx for
// cancellation as it goes (a cancelCheck per goroutine) and returning
// early once it is cancelled.
type layerJob struct {
	run     func(j *layerJob, lo, hi int)
	ctx     *Ctx
	n       int
	threads int
	x, y, r []float32
	dims    [8]int
	flags   [2]bool
	resize  *BilinearResizeParam
	roi     *ROIAlignParam
}

var layerJobs parallel.FreeList[layerJob]

// Run does goroutine tid's share of the items.
func (j *layerJob) Run(tid int) {
	j.run(j, j.n*tid/j.threads, j.n*(tid+1)/j.threads)
}

// layerSplit runs job over min(threads, n) goroutines when the output has
// at least layerParallelMin elements, else on the calling goroutine. It
// returns job to the free list, and ctx's error once ctx is cancelled (the
// output is then partly written).
func layerSplit(ctx *Ctx, job *layerJob, outLen int) error {
	job.ctx = ctx
	threads := 1
	if ctx != nil && outLen >= layerParallelMin {
		threads = min(max(ctx.Threads, 1), job.n)
	}
	if threads <= 1 {
		job.run(job, 0, job.n)
	} else {
		job.threads = threads
		parallel.Parallel(threads, job)
	}
	*job = layerJob{}
	layerJobs.Put(job)
	return ctx.Err()
}
