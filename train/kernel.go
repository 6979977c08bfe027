package train

import (
	"runtime"

	"github.com/mxgo/mxgo/internal/parallel"
)

// minChunk is the fewest elements worth a goroutine in an update kernel.
const minChunk = 1 << 14

// kernelJob is one optimizer kernel call over flat float32 slices, split
// over threads by element range (elements are independent, so the result
// does not depend on the split). fn is a top-level function, so filling a
// job allocates nothing.
type kernelJob struct {
	w, g, s0, s1, s2 []float32
	p                kparams
	threads          int
	fn               func(j *kernelJob, lo, hi int)
}

// kparams are a kernel's operator parameters, float32 as MXNet's.
type kparams struct {
	lr, wd, rg, clip, mu float32
	b1, b2, eps, cw      float32
}

// Run implements parallel.Runner.
func (j *kernelJob) Run(tid int) {
	n := len(j.w)
	j.fn(j, n*tid/j.threads, n*(tid+1)/j.threads)
}

// run executes the job on up to maxThreads goroutines.
func (j *kernelJob) run(maxThreads int) {
	n := len(j.w)
	j.threads = max(1, min(maxThreads, n/minChunk))
	if j.threads <= 1 {
		j.fn(j, 0, n)
	} else {
		parallel.Parallel(j.threads, j)
	}
	j.w, j.g, j.s0, j.s1, j.s2 = nil, nil, nil, nil, nil
}

// SetThreads sets how many goroutines an update may use (default
// runtime.GOMAXPROCS(0) at creation; values below 1 mean 1).
func (b *Base) SetThreads(n int) { b.threads = max(n, 1) }

func defaultThreads() int { return runtime.GOMAXPROCS(0) }

func sgdKernel(j *kernelJob, lo, hi int) {
	w, g := j.w[lo:hi], j.g[lo:hi]
	g = g[:len(w)]
	p := j.p
	lrwd := p.lr * p.wd
	switch {
	case j.s0 == nil && p.clip >= 0:
		for i, wi := range w {
			w[i] = wi + (-lrwd*wi - p.lr*clipf(p.rg*g[i], p.clip))
		}
	case j.s0 == nil:
		lrrg := p.lr * p.rg
		for i, wi := range w {
			w[i] = wi + (-lrwd*wi - lrrg*g[i])
		}
	case p.clip >= 0:
		mom := j.s0[lo:hi]
		mom = mom[:len(w)]
		for i, wi := range w {
			m := p.mu*mom[i] - lrwd*wi - p.lr*clipf(p.rg*g[i], p.clip)
			mom[i] = m
			w[i] = wi + m
		}
	default:
		mom := j.s0[lo:hi]
		mom = mom[:len(w)]
		lrrg := p.lr * p.rg
		for i, wi := range w {
			m := p.mu*mom[i] - lrwd*wi - lrrg*g[i]
			mom[i] = m
			w[i] = wi + m
		}
	}
}

func nagKernel(j *kernelJob, lo, hi int) {
	w, g := j.w[lo:hi], j.g[lo:hi]
	g = g[:len(w)]
	p := j.p
	if j.s0 == nil {
		for i := range w {
			if p.clip >= 0 {
				w[i] = (1-p.lr*p.wd)*w[i] - p.lr*clipf(p.rg*g[i], p.clip)
			} else {
				w[i] = (1-p.lr*p.wd)*w[i] - (p.lr*p.rg)*g[i]
			}
		}
		return
	}
	mom := j.s0[lo:hi]
	mom = mom[:len(w)]
	for i := range w {
		var gr float32
		if p.clip >= 0 {
			gr = clipf(p.rg*g[i], p.clip)
		} else {
			gr = p.rg * g[i]
		}
		m := p.mu * mom[i]
		step := p.lr * (gr + p.wd*w[i])
		w[i] = w[i] - m + (p.mu+1)*(m-step)
		mom[i] = m - step
	}
}

func adamKernel(j *kernelJob, lo, hi int) {
	w, g := j.w[lo:hi], j.g[lo:hi]
	m, v := j.s0[lo:hi], j.s1[lo:hi]
	g, m, v = g[:len(w)], m[:len(w)], v[:len(w)]
	p := j.p
	for i := range w {
		gr := g[i]*p.rg + w[i]*p.wd
		if p.clip >= 0 {
			gr = clipf(gr, p.clip)
		}
		m[i] = p.b1*m[i] + (1-p.b1)*gr
		v[i] = p.b2*v[i] + (1-p.b2)*gr*gr
		w[i] = w[i] - p.lr*m[i]/(sqrt32(v[i])+p.eps)
	}
}

func adagradKernel(j *kernelJob, lo, hi int) {
	w, g, h := j.w[lo:hi], j.g[lo:hi], j.s0[lo:hi]
	g, h = g[:len(w)], h[:len(w)]
	p := j.p
	for i := range w {
		gr := g[i] * p.rg
		if p.clip >= 0 {
			gr = clipf(gr, p.clip)
		}
		h[i] += gr * gr
		div := gr / sqrt32(h[i]+p.eps)
		w[i] += (div + w[i]*p.wd) * -p.lr
	}
}

func rmspropKernel(j *kernelJob, lo, hi int) {
	w, g, sn := j.w[lo:hi], j.g[lo:hi], j.s0[lo:hi]
	g, sn = g[:len(w)], sn[:len(w)]
	p := j.p
	g1 := p.b1
	for i := range w {
		gr := p.rg*g[i] + p.wd*w[i]
		if p.clip >= 0 {
			gr = clipf(gr, p.clip)
		}
		sn[i] = (1-g1)*(gr*gr) + g1*sn[i]
		nw := w[i] - p.lr*(gr/sqrt32(sn[i]+p.eps))
		if p.cw >= 0 {
			nw = clipf(nw, p.cw)
		}
		w[i] = nw
	}
}

func rmspropAlexKernel(j *kernelJob, lo, hi int) {
	w, g, sn, sg, delta := j.w[lo:hi], j.g[lo:hi], j.s0[lo:hi], j.s1[lo:hi], j.s2[lo:hi]
	g, sn, sg, delta = g[:len(w)], sn[:len(w)], sg[:len(w)], delta[:len(w)]
	p := j.p
	g1, g2 := p.b1, p.b2
	for i := range w {
		gr := p.rg*g[i] + p.wd*w[i]
		if p.clip >= 0 {
			gr = clipf(gr, p.clip)
		}
		sn[i] = (1-g1)*gr*gr + g1*sn[i]
		sg[i] = (1-g1)*gr + g1*sg[i]
		delta[i] = g2*delta[i] - p.lr*gr/sqrt32(sn[i]-sg[i]*sg[i]+p.eps)
		nw := w[i] + delta[i]
		if p.cw >= 0 {
			nw = clipf(nw, p.cw)
		}
		w[i] = nw
	}
}
