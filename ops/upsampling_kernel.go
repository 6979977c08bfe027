package ops

import (
	"fmt"
	"math"
	"unsafe"

	"github.com/mxgo/mxgo/tensor"
)

// upBilinearDims is the depthwise deconvolution MXNet runs for bilinear
// UpSampling: kernel 2·scale − scale%2, stride scale, pad ⌈(scale−1)/2⌉,
// num_group = num_filter = channels.
func upBilinearDims(p *UpSamplingParam, n, c, h, w int) convDims {
	k := 2*p.Scale - p.Scale%2
	pad := p.Scale / 2 // ⌈(scale−1)/2⌉
	return convDims{n: n, c: c, f: c, groups: c,
		in: [3]int{1, h * p.Scale, w * p.Scale}, out: [3]int{1, h, w},
		k: [3]int{1, k, k}, s: [3]int{1, p.Scale, p.Scale}, p: [3]int{0, pad, pad}, d: [3]int{1, 1, 1}}
}

// upSamplingWorkspace is bilinear UpSampling's deconvolution column matrix
// (kernel² rows by H·W); nearest needs none.
func upSamplingWorkspace(params any, in []Shape) int {
	p := params.(*UpSamplingParam)
	if p.SampleType != UpBilinear || len(in) == 0 || !ShapeKnown(in[0]) || len(in[0]) != 4 {
		return 0
	}
	k := 2*p.Scale - p.Scale%2
	return workspaceSize(k, k, in[0][2], in[0][3])
}

// upSamplingForward is UpSampling of NCHW inputs. Nearest: input i is
// repeated by OH/H_i rows and OW/W_i columns; the results are stacked along
// the channels (multi_input_mode concat) or added (sum). Bilinear: a
// depthwise Deconvolution of the data with the (C, 1, k, k) weight input
// (upBilinearDims); num_filter must equal the channel count, as MXNet's
// deconvolution requires.
func upSamplingForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*UpSamplingParam)
	if p.SampleType == UpBilinear {
		return upBilinear(ctx, p, in, out[0])
	}
	y := out[0]
	if y.DType() != tensor.Float32 || y.NDim() != 4 {
		return fmt.Errorf("output must be 4-D float32, got %s", y)
	}
	n, oc, oh, ow := y.Dim(0), y.Dim(1), y.Dim(2), y.Dim(3)
	yd := y.Float32s()
	sum := p.MultiInputMode == 1
	ch := 0
	for i, x := range in {
		if x.DType() != tensor.Float32 || x.NDim() != 4 || x.Dim(0) != n {
			return fmt.Errorf("input %d must be 4-D float32 with batch %d, got %s", i, n, x)
		}
		c, h, w := x.Dim(1), x.Dim(2), x.Dim(3)
		if h == 0 || w == 0 || oh%h != 0 || ow%w != 0 {
			return fmt.Errorf("input %d %s does not divide the output %dx%d", i, x, oh, ow)
		}
		if (sum && c != oc) || (!sum && ch+c > oc) {
			return fmt.Errorf("input %d has %d channels, output %d", i, c, oc)
		}
		add := sum && i > 0
		sh, sw := oh/h, ow/w
		xd := x.Float32s()
		cc := cancelCheck{ctx: ctx}
		for b := range n {
			for k := range c {
				src := xd[((b*c)+k)*h*w : ((b*c)+k+1)*h*w]
				dst := yd[(b*oc+ch+k)*oh*ow : (b*oc+ch+k+1)*oh*ow]
				if err := upNearestPlane(dst, src, h, w, sh, sw, add, &cc); err != nil {
					return err
				}
			}
		}
		if !sum {
			ch += c
		}
	}
	if !sum && ch != oc {
		return fmt.Errorf("inputs have %d channels, output %d", ch, oc)
	}
	return ctx.Err()
}

// upNearestPlane writes (or adds) src (h×w) repeated sh×sw times into dst,
// checking the context with cc for every input row (sh output rows); it
// returns the context's error once cancelled.
func upNearestPlane(dst, src []float32, h, w, sh, sw int, add bool, cc *cancelCheck) error {
	ow := w * sw
	for r := range h {
		if err := cc.tick(sh * ow); err != nil {
			return err
		}
		row := dst[r*sh*ow : (r*sh+1)*ow]
		s := src[r*w : (r+1)*w]
		if add {
			for j := range row {
				row[j] += s[j/sw]
			}
			for k := 1; k < sh; k++ {
				rk := dst[(r*sh+k)*ow : (r*sh+k+1)*ow]
				for j := range rk {
					rk[j] += s[j/sw]
				}
			}
			continue
		}
		switch {
		case sw == 2 && uintptr(unsafe.Pointer(unsafe.SliceData(row)))%8 == 0:
			// The common case (feature pyramids): each pair of equal
			// floats is one aligned 8-byte store (the same bits in
			// either byte order).
			pairs := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(row))), len(s))
			_ = row[2*len(s)-1]
			for j, v := range s {
				pairs[j] = uint64(math.Float32bits(v)) * (1<<32 + 1)
			}
		case sw == 2:
			pairs := row[:2*len(s)]
			for j, v := range s {
				pairs[2*j], pairs[2*j+1] = v, v
			}
		default:
			for j, v := range s {
				seg := row[j*sw : (j+1)*sw]
				for k := range seg {
					seg[k] = v
				}
			}
		}
		for k := 1; k < sh; k++ {
			copy(dst[(r*sh+k)*ow:(r*sh+k+1)*ow], row)
		}
	}
	return nil
}

// upBilinear runs bilinear UpSampling as a depthwise deconvolution.
func upBilinear(ctx *Ctx, p *UpSamplingParam, in []*tensor.Tensor, y *tensor.Tensor) error {
	x, w := in[0], in[1]
	if x.DType() != tensor.Float32 || w.DType() != tensor.Float32 || y.DType() != tensor.Float32 {
		return fmt.Errorf("%s data, %s weight not supported, only float32", x.DType(), w.DType())
	}
	if x.NDim() != 4 || y.NDim() != 4 {
		return fmt.Errorf("data must be 4-D, got %s", x)
	}
	n, c, h, wd := x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3)
	if p.NumFilter != c {
		return fmt.Errorf("bilinear needs num_filter = channels (%d), got %d", c, p.NumFilter)
	}
	g := upBilinearDims(p, n, c, h, wd)
	k := g.k[1]
	if w.Len() != c*k*k || y.Len() != n*c*g.inSize() {
		return fmt.Errorf("weight %s or output %s does not match data %s", w, y, x)
	}
	return deconvRun(ctx, &g, x.Float32s(), w.Float32s(), nil, y.Float32s())
}
