package ops

import (
	"fmt"

	"github.com/mxgo/mxgo/asm"
	"github.com/mxgo/mxgo/tensor"
)

// deconvPadAt is Deconvolution's effective pad of kernel dim i for input
// size in (deconvPadAdj without allocating): derived from target_shape when
// any entry is non-zero, else the pad parameter.
func deconvPadAt(p *DeconvolutionParam, i, in int) int {
	target := false
	for _, t := range p.TargetShape {
		target = target || t != 0
	}
	if !target || len(p.TargetShape) != len(p.Kernel) {
		return p.Pad[i]
	}
	t := p.Stride[i]*(in-1) + p.DilatedKernel(i) - p.TargetShape[i]
	return (t + 1) / 2
}

// newDeconvDims is convDims of the convolution whose data gradient
// Deconvolution computes: in holds Deconvolution's output dims (the
// convolution's input) and out its input dims, with the effective pad.
func newDeconvDims(p *DeconvolutionParam, x, y *tensor.Tensor) (convDims, error) {
	var g convDims
	ks := len(p.Kernel)
	if x.NDim() != ks+2 || y.NDim() != ks+2 {
		return g, fmt.Errorf("data must be %d-D for a %d-D kernel, got %d-D", ks+2, ks, x.NDim())
	}
	g.n, g.c, g.f, g.groups = x.Dim(0), x.Dim(1), y.Dim(1), p.NumGroup
	for i := range 3 {
		g.in[i], g.out[i], g.k[i], g.s[i], g.p[i], g.d[i] = 1, 1, 1, 1, 0, 1
	}
	off := 3 - ks
	for i := range ks {
		g.in[off+i], g.out[off+i] = y.Dim(2+i), x.Dim(2+i)
		g.k[off+i], g.s[off+i], g.d[off+i] = p.Kernel[i], p.Stride[i], p.Dilate[i]
		g.p[off+i] = deconvPadAt(p, i, x.Dim(2+i))
	}
	if g.groups < 1 || g.c%g.groups != 0 || g.f%g.groups != 0 {
		return g, fmt.Errorf("channels %d and num_filter %d not divisible by num_group %d", g.c, g.f, g.groups)
	}
	return g, nil
}

// deconvWorkspace is one group's column matrix: num_filter/num_group·kernel
// rows by the input's spatial size.
func deconvWorkspace(params any, in []Shape) int {
	p := params.(*DeconvolutionParam)
	d := in[0]
	if !ShapeKnown(d) || len(d) != len(p.Kernel)+2 || p.NumGroup < 1 {
		return 0
	}
	return workspaceSize(append(append([]int{p.NumFilter / p.NumGroup}, p.Kernel...), d[2:]...)...)
}

// deconvolutionForward computes Deconvolution (transposed convolution) for
// channel-first data: per sample and group one SGEMM Wᵀ·x into the column
// matrix in ctx.Scratch, scattered-added (col2im) into the output, then the
// bias. The output position of input i and kernel tap k is
// i·stride − pad + k·dilate; adj only extends the output (bias only).
func deconvolutionForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*DeconvolutionParam)
	if p.Layout.Value.ChannelLast() {
		return fmt.Errorf("layout %s not supported on CPU (use a channel-first layout)", p.Layout.Value)
	}
	for i, t := range in {
		if t.DType() != tensor.Float32 {
			return fmt.Errorf("input %d is %s, only float32 is supported", i, t.DType())
		}
	}
	x, y := in[0], out[0]
	g, err := newDeconvDims(p, x, y)
	if err != nil {
		return err
	}
	xd, wd, yd := x.Float32s(), in[1].Float32s(), y.Float32s()
	fg := g.f / g.groups
	rows := fg * g.kSize()
	xs, ys := g.outSize(), g.inSize() // deconv input / output spatial sizes
	if len(xd) != g.n*g.c*xs || len(wd) != g.c*rows || len(yd) != g.n*g.f*ys {
		return fmt.Errorf("tensor sizes %d, %d, %d do not match the geometry", len(xd), len(wd), len(yd))
	}
	var bias []float32
	if !p.NoBias {
		if bias = in[2].Float32s(); len(bias) != g.f {
			return fmt.Errorf("bias has %d elements, want %d", len(bias), g.f)
		}
	}
	return deconvRun(ctx, &g, xd, wd, bias, yd)
}

// deconvRun computes a deconvolution of geometry g (see newDeconvDims) with
// ctx.Scratch as the column matrix; sizes are already checked.
func deconvRun(ctx *Ctx, g *convDims, xd, wd, bias, yd []float32) error {
	cg, fg := g.c/g.groups, g.f/g.groups
	rows := fg * g.kSize()
	xs, ys := g.outSize(), g.inSize()
	col := ctx.Scratch
	if len(col) < rows*xs {
		return fmt.Errorf("scratch has %d floats, need %d", len(col), rows*xs)
	}
	col = col[:rows*xs]
	threads := max(ctx.Threads, 1)
	clear(yd)
	for n := range g.n {
		for gi := range g.groups {
			xg := xd[(n*g.c+gi*cg)*xs : (n*g.c+(gi+1)*cg)*xs]
			wg := wd[gi*cg*rows : (gi+1)*cg*rows]
			if err := sgemmCtx(ctx, threads, true, false, rows, xs, cg, 1, wg, rows, xg, xs, 0, col, xs); err != nil {
				return err
			}
			deconvCol2im(g, fg, col, yd[(n*g.f+gi*fg)*ys:(n*g.f+(gi+1)*fg)*ys])
		}
		if bias != nil {
			convAddBias(yd[n*g.f*ys:(n+1)*g.f*ys], bias, ys)
		}
	}
	return nil
}

// deconvCol2im adds the column matrix (row ((f·KD+kd)·KH+kh)·KW+kw, column
// = input position) into fg output channels y: the adjoint of convIm2col
// with g.in the output and g.out the input dims.
func deconvCol2im(g *convDims, fg int, col, y []float32) {
	ys, xs := g.inSize(), g.outSize()
	r := 0
	for f := range fg {
		yc := y[f*ys : (f+1)*ys]
		for kd := range g.k[0] {
			dlo, dhi := convRange(g.in[0], g.out[0], g.s[0], g.p[0], kd*g.d[0])
			for kh := range g.k[1] {
				hlo, hhi := convRange(g.in[1], g.out[1], g.s[1], g.p[1], kh*g.d[1])
				for kw := range g.k[2] {
					wlo, whi := convRange(g.in[2], g.out[2], g.s[2], g.p[2], kw*g.d[2])
					row := col[r*xs : (r+1)*xs]
					r++
					for id := dlo; id < dhi; id++ {
						od := id*g.s[0] - g.p[0] + kd*g.d[0]
						for ih := hlo; ih < hhi; ih++ {
							oh := ih*g.s[1] - g.p[1] + kh*g.d[1]
							src := row[(id*g.out[1]+ih)*g.out[2] : (id*g.out[1]+ih+1)*g.out[2]]
							dst := yc[(od*g.in[1]+oh)*g.in[2]:]
							ow := wlo*g.s[2] - g.p[2] + kw*g.d[2]
							if g.s[2] == 1 {
								d := dst[ow : ow+whi-wlo]
								asm.Add(d, d, src[wlo:whi])
								continue
							}
							for iw := wlo; iw < whi; iw++ {
								dst[ow] += src[iw]
								ow += g.s[2]
							}
						}
					}
				}
			}
		}
	}
}
