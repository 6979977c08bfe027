package ops

import (
	"fmt"
	"math"
	"slices"
	"unsafe"

	"github.com/mxgo/mxgo/tensor"
)

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
func exp32(x float32) float32  { return float32(math.Exp(float64(x))) }
func log32(x float32) float32  { return float32(math.Log(float64(x))) }

// clip01 is clip_zero_one / max(0, min(1, x)).
func clip01(x float32) float32 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// multiBoxPriorForward is MultiBoxPriorForward: for each feature-map cell
// (row-major) the anchors of every size with the first ratio, then of
// sizes[0] with each further ratio, as corner boxes in float32:
// half-width size·H/W·√ratio/2, half-height size/√ratio/2, centred at
// ((c + offset_x)·step_x, (r + offset_y)·step_y); steps ≤ 0 mean 1/W, 1/H.
func multiBoxPriorForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*MultiBoxPriorParam)
	if err := float32Only("MultiBoxPrior", nil, out); err != nil {
		return err
	}
	x := in[0]
	if x.NDim() < 4 {
		return fmt.Errorf("MultiBoxPrior: data %s must be 4-D", x)
	}
	h, w := x.Dim(2), x.Dim(3)
	na := len(p.Sizes) + len(p.Ratios) - 1
	o := out[0].Float32s()
	if len(o) != h*w*na*4 {
		return fmt.Errorf("MultiBoxPrior: output %s does not match data %s", out[0], x)
	}
	stepY, stepX := p.Steps[0], p.Steps[1]
	if stepY <= 0 || stepX <= 0 {
		stepY, stepX = 1/float32(h), 1/float32(w)
	}
	k := 0
	put := func(cx, cy, size, ratio float32) {
		bw := float32(float32(size*float32(h))/float32(w)) * ratio / 2
		bh := size / ratio / 2
		o[k], o[k+1], o[k+2], o[k+3] = cx-bw, cy-bh, cx+bw, cy+bh
		k += 4
	}
	r0 := sqrt32(p.Ratios[0])
	for r := range h {
		cy := float32((float32(r) + p.Offsets[0]) * stepY)
		for c := range w {
			cx := float32((float32(c) + p.Offsets[1]) * stepX)
			for _, s := range p.Sizes {
				put(cx, cy, s, r0)
			}
			for _, rt := range p.Ratios[1:] {
				put(cx, cy, p.Sizes[0], sqrt32(rt))
			}
		}
	}
	if p.Clip {
		for i, v := range o {
			o[i] = clip01(v)
		}
	}
	return nil
}

// decodeBox is TransformLocations: the anchor (corners) shifted and scaled
// by the regression (px, py, pw, ph) with the variances, as corners,
// optionally clipped to [0, 1]; float32 arithmetic.
func decodeBox(dst, a, l []float32, clip bool, v []float32) {
	aw, ah := a[2]-a[0], a[3]-a[1]
	ax, ay := (a[0]+a[2])/2, (a[1]+a[3])/2
	ox := float32(float32(l[0]*v[0])*aw) + ax
	oy := float32(float32(l[1]*v[1])*ah) + ay
	ow := float32(exp32(l[2]*v[2])*aw) / 2
	oh := float32(exp32(l[3]*v[3])*ah) / 2
	dst[0], dst[1], dst[2], dst[3] = ox-ow, oy-oh, ox+ow, oy+oh
	if clip {
		for i := range 4 {
			dst[i] = max(0, min(1, dst[i]))
		}
	}
}

// cornerIOU is MultiBoxDetection's CalculateOverlap of two corner boxes
// (0 when the union is not positive).
func cornerIOU(a, b []float32) float32 {
	w := max(0, min(a[2], b[2])-max(a[0], b[0]))
	h := max(0, min(a[3], b[3])-max(a[1], b[1]))
	i := float32(w * h)
	u := float32(float32(float32((a[2]-a[0])*(a[3]-a[1]))+float32((b[2]-b[0])*(b[3]-b[1]))) - i)
	if u <= 0 {
		return 0
	}
	return i / u
}

// orderedBits maps a float32 to a uint32 in the same order (−0 and +0
// alike; not for NaN).
func orderedBits(f float32) uint32 {
	b := math.Float32bits(f + 0)
	if b>>31 != 0 {
		return ^b
	}
	return b | 1<<31
}

// selectSmallest reorders a so that its k smallest values come first, in
// no particular order (quickselect, median-of-three pivots; k ≤ len(a)).
func selectSmallest(a []uint64, k int) {
	lo, hi := 0, len(a)-1
	for lo < hi {
		m := lo + (hi-lo)/2
		if a[m] < a[lo] {
			a[m], a[lo] = a[lo], a[m]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[m] {
			a[hi], a[m] = a[m], a[hi]
		}
		pivot := a[m]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		// a[lo..j] ≤ pivot ≤ a[i..hi]
		switch {
		case k-1 <= j:
			hi = j
		case k-1 >= i:
			lo = i
		default:
			return
		}
	}
}

// uint64View returns n uint64s over f (at least 2n+1 floats), starting at
// its first 8-byte aligned float.
func uint64View(f []float32, n int) []uint64 {
	k := int(uintptr(unsafe.Pointer(unsafe.SliceData(f))) & 7 / 4)
	f = f[k : k+2*n]
	return unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(f))), n)
}

// multiBoxDetectionForward is MultiBoxDetectionForward: per anchor the best
// non-background class (ties keep the lower class; below threshold ⇒
// background) and its decoded box; the foreground detections are
// compacted in anchor order as [class−1, score, xmin, ymin, xmax, ymax] and
// the rest of the rows are −1. When 0 < nms_threshold ≤ 1 they are stably
// sorted by descending score, only the first nms_topk (> 0) stay candidates
// (the ids of the others become −1) and greedy NMS sets the id of every box
// whose IoU with a kept higher-scored box (same class unless
// force_suppress) is ≥ nms_threshold to −1.
func multiBoxDetectionForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*MultiBoxDetectionParam)
	if err := float32Only("MultiBoxDetection", in, out); err != nil {
		return err
	}
	cls, loc, anc, y := in[0], in[1], in[2], out[0]
	if cls.NDim() != 3 {
		return fmt.Errorf("MultiBoxDetection: cls_prob %s must be 3-D", cls)
	}
	nb, nc, na := cls.Dim(0), cls.Dim(1), cls.Dim(2)
	if loc.Len() != nb*na*4 || anc.Len() != na*4 || y.Len() != nb*na*6 {
		return fmt.Errorf("MultiBoxDetection: loc_pred %s, anchor %s or output %s do not match cls_prob %s", loc, anc, y, cls)
	}
	if len(ctx.Scratch) < 8*na+1 {
		return fmt.Errorf("MultiBoxDetection: scratch has %d floats, need %d", len(ctx.Scratch), 8*na+1)
	}
	dets := ctx.Scratch[:6*na]
	keys := uint64View(ctx.Scratch[6*na:8*na+1], na)
	cd, ld, ad, yd := cls.Float32s(), loc.Float32s(), anc.Float32s(), y.Float32s()
	for i := range yd {
		yd[i] = -1
	}
	cc := cancelCheck{ctx: ctx}
	for b := range nb {
		if err := ctx.Err(); err != nil {
			return err
		}
		pc := cd[b*nc*na : (b+1)*nc*na]
		pl := ld[b*na*4 : (b+1)*na*4]
		po := yd[b*na*6 : (b+1)*na*6]
		// Per anchor the first class with the highest score, a class
		// plane at a time (each plane read in order), in the sort keys'
		// room: best[i] the score, cid[i] the class.
		best, cid := ctx.Scratch[6*na:7*na], ctx.Scratch[7*na:8*na]
		for i := range best {
			best[i], cid[i] = -1, 0
		}
		for j := 1; j < nc; j++ {
			pj, fj := pc[j*na:(j+1)*na], float32(j)
			best, cid := best[:len(pj)], cid[:len(pj)]
			for i, t := range pj {
				if t > best[i] {
					best[i], cid[i] = t, fj
				}
			}
		}
		for i := range na {
			d := dets[i*6 : i*6+6]
			id, score := int(cid[i]), best[i]
			if id > 0 && score < p.Threshold {
				id = 0
			}
			d[0], d[1] = float32(id-1), score
			decodeBox(d[2:], ad[i*4:i*4+4], pl[i*4:i*4+4], p.Clip, p.Variances)
		}
		valid := 0
		for i := range na {
			if dets[i*6] >= 0 {
				copy(po[valid*6:valid*6+6], dets[i*6:i*6+6])
				valid++
			}
		}
		if valid < 1 || p.NMSThreshold <= 0 || p.NMSThreshold > 1 {
			continue
		}
		tmp := dets[:valid*6]
		copy(tmp, po[:valid*6])
		// A stable sort by descending score is a sort by (score
		// descending, row ascending): one uint64 key per row (scores are
		// never NaN: they won a > comparison or are −1; −0 counts as +0).
		ord := keys[:valid]
		for i := range ord {
			ord[i] = uint64(^orderedBits(tmp[i*6+1]))<<32 | uint64(i)
		}
		nkeep := valid
		if p.NMSTopK > 0 && p.NMSTopK < nkeep {
			nkeep = p.NMSTopK
			for i := nkeep; i < valid; i++ {
				po[i*6] = -1
			}
			// Only the first nkeep in order are candidates (the keys are
			// distinct: which they are and their order are the sort's).
			selectSmallest(ord, nkeep)
		}
		slices.Sort(ord[:nkeep])
		for i := range nkeep {
			r := int(uint32(ord[i]))
			copy(po[i*6:i*6+6], tmp[r*6:r*6+6])
		}
		// Greedy NMS, cornerIOU's arithmetic with each box's area once and
		// boxes that do not overlap skipped (IoU 0 < nms_threshold), on
		// the candidates' columns (in dets, free now): class, corners,
		// area.
		cls, x0s, y0s := dets[:nkeep], dets[nkeep:2*nkeep], dets[2*nkeep:3*nkeep]
		x1s, y1s, area := dets[3*nkeep:4*nkeep], dets[4*nkeep:5*nkeep], dets[5*nkeep:6*nkeep]
		for i := range cls {
			b := po[i*6 : i*6+6]
			cls[i], x0s[i], y0s[i], x1s[i], y1s[i] = b[0], b[2], b[3], b[4], b[5]
			area[i] = float32((b[4] - b[2]) * (b[5] - b[3]))
		}
		for i := range cls {
			if cls[i] < 0 {
				continue
			}
			if err := cc.tick(nkeep - i); err != nil {
				return err
			}
			ci, x0, y0, x1, y1, ai := cls[i], x0s[i], y0s[i], x1s[i], y1s[i], area[i]
			for j := i + 1; j < len(cls); j++ {
				if cls[j] < 0 || !p.ForceSuppress && cls[j] != ci {
					continue
				}
				w := min(x1, x1s[j]) - max(x0, x0s[j])
				h := min(y1, y1s[j]) - max(y0, y0s[j])
				if !(w > 0 && h > 0) {
					continue
				}
				in := float32(w * h)
				u := float32(float32(ai+area[j]) - in)
				if u > 0 && in/u >= p.NMSThreshold {
					cls[j] = -1
				}
			}
		}
		for i, c := range cls {
			po[i*6] = c
		}
	}
	return ctx.Err()
}

// multiBoxTargetForward is MultiBoxTargetForward (CPU). Per batch the
// labels up to the first class −1 are the ground truths; anchors are
// matched greedily (highest IoU pair first, IoU > 1e-6) until every ground
// truth has one, then (overlap_threshold > 0) every other anchor whose best
// IoU exceeds overlap_threshold. With negative_mining_ratio > 0 the
// ratio·positives unmatched anchors with best IoU < negative_mining_thresh
// and the lowest background softmax probability are negatives; otherwise
// every unmatched anchor is. Positives get class+1, mask 1 and the encoded
// box offsets; negatives class 0; the rest ignore_label.
func multiBoxTargetForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*MultiBoxTargetParam)
	if err := float32Only("MultiBoxTarget", in, out); err != nil {
		return err
	}
	anc, lab, cp := in[0], in[1], in[2]
	if lab.NDim() != 3 || cp.NDim() != 3 {
		return fmt.Errorf("MultiBoxTarget: label %s and cls_pred %s must be 3-D", lab, cp)
	}
	na := anc.Len() / 4
	nb, nl, lw := lab.Dim(0), lab.Dim(1), lab.Dim(2)
	nc := cp.Dim(1)
	locT, locM, clsT := out[0].Float32s(), out[1].Float32s(), out[2].Float32s()
	if len(locT) != nb*na*4 || len(locM) != nb*na*4 || len(clsT) != nb*na || cp.Dim(2) != na || lw < 5 {
		return fmt.Errorf("MultiBoxTarget: outputs do not match anchor %s, label %s", anc, lab)
	}
	if p.NegativeMiningRatio > 0 && cp.Dim(0) < nb {
		return fmt.Errorf("MultiBoxTarget: cls_pred %s has fewer batches than label %s", cp, lab)
	}
	need := na*nl + 5*na + nl
	if len(ctx.Scratch) < need {
		return fmt.Errorf("MultiBoxTarget: scratch has %d floats, need %d", len(ctx.Scratch), need)
	}
	s := ctx.Scratch
	ov := s[:na*nl]
	maxIoU := s[na*nl : na*nl+na]
	maxGT := int32View(s[na*nl+na : na*nl+2*na])
	flags := int32View(s[na*nl+2*na : na*nl+3*na])
	key := s[na*nl+3*na : na*nl+4*na]
	cand := int32View(s[na*nl+4*na : na*nl+5*na])
	gtDone := s[na*nl+5*na : need]
	clear(locT)
	clear(locM)
	for i := range clsT {
		clsT[i] = p.IgnoreLabel
	}
	ad, ld, cd := anc.Float32s(), lab.Float32s(), cp.Float32s()
	cc := cancelCheck{ctx: ctx}
	for b := range nb {
		if err := ctx.Err(); err != nil {
			return err
		}
		pl := ld[b*nl*lw : (b+1)*nl*lw]
		nv := 0
		for ; nv < nl; nv++ {
			row := pl[nv*lw : nv*lw+5]
			if row[0] == -1 {
				if row[1] != -1 || row[2] != -1 || row[3] != -1 || row[4] != -1 {
					return fmt.Errorf("MultiBoxTarget: batch %d label %d has class -1 but box %v (padding rows must be all -1)", b, nv, row[1:5])
				}
				break
			}
		}
		if nv == 0 {
			continue
		}
		for j := range na {
			if err := cc.tick(nl + 1); err != nil {
				return err
			}
			a := ad[j*4 : j*4+4]
			for k := range nl {
				g := pl[k*lw+1 : k*lw+5]
				iw := max(0, min(a[2], g[2])-max(a[0], g[0]))
				ih := max(0, min(a[3], g[3])-max(a[1], g[1]))
				inter := float32(iw * ih)
				u := float32(float32(float32((a[2]-a[0])*(a[3]-a[1]))+float32((g[2]-g[0])*(g[3]-g[1]))) - inter)
				if u == 0 {
					ov[j*nl+k] = 0
				} else {
					ov[j*nl+k] = inter / u
				}
			}
		}
		for j := range na {
			maxIoU[j], maxGT[j], flags[j] = -1, -1, -1
		}
		clear(gtDone[:nv])
		bestOf := func(j int) (int, float32) {
			best, m := -1, float32(-1)
			for k := range nv {
				if iou := ov[j*nl+k]; iou > m {
					best, m = k, iou
				}
			}
			return best, m
		}
		numPos := 0
		for left := nv; left > 0; {
			// Each pass scans every anchor against every ground truth.
			if err := cc.tick(na * nv); err != nil {
				return err
			}
			ba, bg, m := -1, -1, float32(1e-6)
			for j := range na {
				if flags[j] == 1 {
					continue
				}
				for k := range nv {
					if gtDone[k] != 0 {
						continue
					}
					if iou := ov[j*nl+k]; iou > m {
						ba, bg, m = j, k, iou
					}
				}
			}
			if ba < 0 {
				break
			}
			maxIoU[ba], maxGT[ba] = m, int32(bg)
			numPos++
			gtDone[bg] = 1
			left--
			flags[ba] = 1
		}
		if p.OverlapThreshold > 0 {
			for j := range na {
				if flags[j] == 1 {
					continue
				}
				if best, m := bestOf(j); best >= 0 {
					maxIoU[j], maxGT[j] = m, int32(best)
					if m > p.OverlapThreshold {
						numPos++
						gtDone[best] = 1
						flags[j] = 1
					}
				}
			}
		}
		if p.NegativeMiningRatio > 0 {
			numNeg := int(float32(numPos) * p.NegativeMiningRatio)
			numNeg = min(numNeg, na-numPos)
			if numNeg > 0 {
				pc := cd[b*nc*na : (b+1)*nc*na]
				n := 0
				for j := range na {
					if flags[j] == 1 {
						continue
					}
					if maxIoU[j] < 0 {
						if best, m := bestOf(j); best >= 0 {
							maxIoU[j], maxGT[j] = m, int32(best)
						}
					}
					if maxIoU[j] < p.NegativeMiningThresh && flags[j] == -1 {
						mv := pc[j]
						for k := 1; k < nc; k++ {
							mv = max(mv, pc[j+na*k])
						}
						var sum float32
						for k := range nc {
							sum += exp32(pc[j+na*k] - mv)
						}
						key[j] = -(exp32(pc[j]-mv) / sum)
						cand[n] = int32(j)
						n++
					}
				}
				if n < numNeg {
					return fmt.Errorf("MultiBoxTarget: batch %d has %d negative candidates for %d negatives", b, n, numNeg)
				}
				cs := cand[:n]
				slices.SortStableFunc(cs, func(x, y int32) int {
					kx, ky := key[x], key[y]
					switch {
					case kx > ky:
						return -1
					case kx < ky:
						return 1
					}
					return 0
				})
				for _, j := range cs[:numNeg] {
					flags[j] = 0
				}
			}
		} else {
			for j := range na {
				if flags[j] != 1 {
					flags[j] = 0
				}
			}
		}
		for i := range na {
			switch flags[i] {
			case 1:
				g := pl[int(maxGT[i])*lw : int(maxGT[i])*lw+5]
				clsT[b*na+i] = g[0] + 1
				m := locM[(b*na+i)*4 : (b*na+i)*4+4]
				m[0], m[1], m[2], m[3] = 1, 1, 1, 1
				encodeBox(locT[(b*na+i)*4:(b*na+i)*4+4], ad[i*4:i*4+4], g[1:5], p.Variances)
			case 0:
				clsT[b*na+i] = 0
			}
		}
	}
	return ctx.Err()
}

// encodeBox is AssignLocTargets: the ground truth g relative to anchor a
// (center offsets over the anchor size and log size ratios, each divided
// by its variance), in float32.
func encodeBox(dst, a, g, v []float32) {
	aw, ah := a[2]-a[0], a[3]-a[1]
	ax, ay := (a[0]+a[2])*0.5, (a[1]+a[3])*0.5
	gw, gh := g[2]-g[0], g[3]-g[1]
	gx, gy := (g[0]+g[2])*0.5, (g[1]+g[3])*0.5
	dst[0] = (gx - ax) / aw / v[0]
	dst[1] = (gy - ay) / ah / v[1]
	dst[2] = log32(gw/aw) / v[2]
	dst[3] = log32(gh/ah) / v[3]
}
