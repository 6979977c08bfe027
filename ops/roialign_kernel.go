package ops

import (
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// roiMaxSamples bounds the bilinear samples of one roi (over all its bins).
const roiMaxSamples = 1 << 22

// roiSample is one bilinear sample point: four input offsets in a plane
// and their weights (all zero outside the feature map).
type roiSample struct {
	p1, p2, p3, p4 int
	w1, w2, w3, w4 float32
}

// roiSamplePoint is pre_calc_for_bilinear_interpolate for one point, in
// float32 as MXNet computes it.
func roiSamplePoint(y, x float32, height, width int) roiSample {
	if y < -1 || y > float32(height) || x < -1 || x > float32(width) || y != y || x != x {
		return roiSample{} // outside the map, or NaN (undefined in MXNet)
	}
	y, x = max(y, 0), max(x, 0)
	yl, xl := int(y), int(x)
	var yh, xh int
	if yl >= height-1 {
		yl, yh = height-1, height-1
		y = float32(yl)
	} else {
		yh = yl + 1
	}
	if xl >= width-1 {
		xl, xh = width-1, width-1
		x = float32(xl)
	} else {
		xh = xl + 1
	}
	ly, lx := y-float32(yl), x-float32(xl)
	hy, hx := 1-ly, 1-lx
	return roiSample{
		p1: yl*width + xl, p2: yl*width + xh, p3: yh*width + xl, p4: yh*width + xh,
		w1: hy * hx, w2: hy * lx, w3: ly * hx, w4: ly * lx,
	}
}

// roiGeom is one roi's sampling geometry, in float32 as MXNet computes it.
type roiGeom struct {
	batch          int  // image index
	skip           bool // negative batch index: the roi's output is zero
	sh, sw, bh, bw float32
	gh, gw         int
}

// roiGeometry validates roi n (a row [batch, x1, y1, x2, y2]) and returns
// its start, bin size and sampling grid.
func roiGeometry(p *ROIAlignParam, r []float32, n, N, PH, PW int) (roiGeom, error) {
	if r[0] < 0 || math.IsNaN(float64(r[0])) {
		return roiGeom{skip: true}, nil
	}
	if r[0] >= float32(N) {
		return roiGeom{}, fmt.Errorf("roialign: roi %d has batch index %g, the data has %d images", n, r[0], N)
	}
	scale := p.SpatialScale
	var off float32
	if p.Aligned {
		off = 0.5
	}
	g := roiGeom{batch: int(r[0])} // C++ float-to-int truncation
	g.sw = float32(r[1]*scale) - off
	g.sh = float32(r[2]*scale) - off
	ew := float32(r[3]*scale) - off
	eh := float32(r[4]*scale) - off
	rw, rh := ew-g.sw, eh-g.sh
	if p.Aligned {
		if !(rw > 0 && rh > 0) {
			return roiGeom{}, fmt.Errorf("roialign: roi %d has size %gx%g, must be positive with aligned", n, rw, rh)
		}
	} else {
		rw, rh = max(rw, 1), max(rh, 1)
	}
	g.bh, g.bw = rh/float32(PH), rw/float32(PW)
	g.gh, g.gw = p.SampleRatio, p.SampleRatio
	if p.SampleRatio <= 0 {
		gh := math.Ceil(float64(rh / float32(PH)))
		gw := math.Ceil(float64(rw / float32(PW)))
		if !(gh <= roiMaxSamples && gw <= roiMaxSamples) { // also NaN
			return roiGeom{}, fmt.Errorf("roialign: roi %d of size %gx%g needs too many samples", n, rw, rh)
		}
		g.gh, g.gw = int(gh), int(gw)
	}
	// MXNet allocates gh·gw·PH·PW precomputed samples per roi; bound them
	// so that a malformed roi cannot stall the kernel.
	if g.gh < 0 || g.gw < 0 || g.gh > roiMaxSamples || g.gw > roiMaxSamples || g.gh*g.gw > roiMaxSamples/(PH*PW) {
		return roiGeom{}, fmt.Errorf("roialign: roi %d needs a %dx%d sampling grid per bin, more than %d samples in all", n, g.gh, g.gw, roiMaxSamples)
	}
	return g, nil
}

// roiAlignForward is MXNet's CPU ROIAlignForward: each output bin averages
// a grid of bilinear samples (sample_ratio per side, or ceil(roi size /
// pooled size)); aligned shifts the roi by half a pixel. A roi with a
// negative batch index gives zeros (MXNet zeroes one element and leaves
// the rest unwritten); an index past the batch is an error. The rois are
// validated first, then split over Ctx.Threads.
func roiAlignForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*ROIAlignParam)
	if err := float32Only("_contrib_ROIAlign", in, out); err != nil {
		return err
	}
	x, rois, y := in[0], in[1], out[0]
	if x.NDim() != 4 || rois.NDim() != 2 || rois.Dim(1) != 5 || y.NDim() != 4 || y.Dim(0) != rois.Dim(0) {
		return fmt.Errorf("roialign: data %s, rois %s and output %s do not match", x, rois, y)
	}
	N, H, W := x.Dim(0), x.Dim(2), x.Dim(3)
	R, C, PH, PW := y.Dim(0), y.Dim(1), y.Dim(2), y.Dim(3)
	cu := C // channels of the data
	if p.PositionSensitive {
		cu = C * PH * PW
	}
	if x.Dim(1) != cu {
		return fmt.Errorf("roialign: data %s has %d channels, want %d", x, x.Dim(1), cu)
	}
	if y.Len() == 0 {
		return nil
	}
	if H == 0 || W == 0 {
		return fmt.Errorf("roialign: cannot sample the empty feature map %s", x)
	}
	rd := rois.Float32s()
	for n := range R {
		if _, err := roiGeometry(p, rd[n*5:n*5+5], n, N, PH, PW); err != nil {
			return err
		}
	}
	job := layerJobs.Get()
	*job = layerJob{run: roiAlignRois, n: R, x: x.Float32s(), y: y.Float32s(), r: rd,
		dims: [8]int{N, x.Dim(1), H, W, C, PH, PW}, roi: p}
	return layerSplit(ctx, job, y.Len())
}

// roiAlignRois pools rois [lo, hi) of a validated ROIAlign job.
func roiAlignRois(j *layerJob, lo, hi int) {
	p := j.roi
	N, CX, H, W, C, PH, PW := j.dims[0], j.dims[1], j.dims[2], j.dims[3], j.dims[4], j.dims[5], j.dims[6]
	plane := H * W
	cc := cancelCheck{ctx: j.ctx}
	for n := lo; n < hi; n++ {
		g, _ := roiGeometry(p, j.r[n*5:n*5+5], n, N, PH, PW) // validated before
		dst := j.y[n*C*PH*PW : (n+1)*C*PH*PW]
		clear(dst)
		if g.skip {
			continue
		}
		count := float32(g.gh * g.gw)
		for ph := range PH {
			for pw := range PW {
				for iy := range g.gh {
					yy := (g.sh + float32(float32(ph)*g.bh)) + float32(float32(float32(iy)+.5)*g.bh)/float32(g.gh)
					for ix := range g.gw {
						xx := (g.sw + float32(float32(pw)*g.bw)) + float32(float32(float32(ix)+.5)*g.bw)/float32(g.gw)
						if cc.tick(C+8) != nil { // a sample of C channels
							return
						}
						s := roiSamplePoint(yy, xx, H, W)
						for c := range C {
							cu := c
							if p.PositionSensitive {
								cu = (c*PH+ph)*PW + pw
							}
							src := j.x[(g.batch*CX+cu)*plane:]
							o := (c*PH+ph)*PW + pw
							dst[o] += float32(s.w1*src[s.p1]) + float32(s.w2*src[s.p2]) +
								float32(s.w3*src[s.p3]) + float32(s.w4*src[s.p4])
						}
					}
				}
				for c := range C {
					dst[(c*PH+ph)*PW+pw] /= count
				}
			}
		}
	}
}
