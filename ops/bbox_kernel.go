package ops

import (
	"fmt"
	"math"
	"slices"
	"unsafe"

	"github.com/mxgo/mxgo/tensor"
)

// int32View views a float32 scratch slice as int32 (same size and alignment).
func int32View(f []float32) []int32 {
	return unsafe.Slice((*int32)(unsafe.Pointer(unsafe.SliceData(f))), len(f))
}

// boxArea is MXNet's BoxArea in float32: width·height of a corner or
// center box, 0 when either side is negative.
func boxArea(b []float32, f BoxFormat) float32 {
	w, h := b[2], b[3]
	if f == BoxCorner {
		w, h = b[2]-b[0], b[3]-b[1]
	}
	if w < 0 || h < 0 {
		return 0
	}
	return float32(w * h)
}

// boxCorners returns the corner form of box b as MXNet's Intersect computes
// it: center boxes become x ∓ w/2, y ∓ h/2 in float32.
func boxCorners(b []float32, f BoxFormat) (l, t, r, bot float32) {
	if f == BoxCorner {
		return b[0], b[1], b[2], b[3]
	}
	hw, hh := b[2]/2, b[3]/2
	return b[0] - hw, b[1] - hh, b[0] + hw, b[1] + hh
}

// overlap1D is Intersect along one axis: max(0, min(r1, r2) − max(l1, l2)).
func overlap1D(l1, r1, l2, r2 float32) float32 {
	w := min(r1, r2) - max(l1, l2)
	if w > 0 {
		return w
	}
	return 0
}

// boxNMSForward is _contrib_box_nms (BoxNMSForward, CPU): per batch, boxes
// with score > valid_thresh (and class ≠ background_id when id_index ≥ 0)
// are stably sorted by descending score; among the first topk, a box is
// dropped when its IoU with a kept higher-scored box (of the same class
// unless force_suppress) exceeds overlap_thresh. Kept rows are written in
// score order, the rest of the batch is −1; the hidden output records each
// kept row's flat input position (−1 elsewhere). topk = 0 copies the input
// unchanged. Coordinates are converted to out_format at the end, skipping
// rows whose first coordinate is negative, as MXNet does.
func boxNMSForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*BoxNMSParam)
	if err := float32Only("box_nms", in, out); err != nil {
		return err
	}
	x, y, rec := in[0], out[0], out[1]
	nd := x.NDim()
	if nd < 2 {
		return fmt.Errorf("box_nms: data %s must have at least 2 dims", x)
	}
	numElem, width := x.Dim(nd-2), x.Dim(nd-1)
	total := x.Len()
	if y.Len() != total || (width > 0 && rec.Len()*width != total) {
		return fmt.Errorf("box_nms: outputs %s, %s do not match data %s", y, rec, x)
	}
	if total == 0 {
		return nil
	}
	if p.ScoreIndex < 0 || p.ScoreIndex >= width || p.CoordStart < 0 || p.CoordStart+4 > width || p.IDIndex >= width {
		return fmt.Errorf("box_nms: score_index %d, coord_start %d or id_index %d outside rows of width %d",
			p.ScoreIndex, p.CoordStart, p.IDIndex, width)
	}
	numBatch := total / (numElem * width)
	xd, yd, rd := x.Float32s(), y.Float32s(), rec.Float32s()
	topk := numElem
	if p.TopK >= 0 {
		topk = min(numElem, p.TopK)
	}
	if topk < 1 {
		copy(yd, xd)
		for i := range rd {
			rd[i] = float32(i)
		}
		return nil
	}
	if len(ctx.Scratch) < 8*numElem {
		return fmt.Errorf("box_nms: scratch has %d floats, need %d", len(ctx.Scratch), 8*numElem)
	}
	ws := nmsScratch{
		order: int32View(ctx.Scratch[:numElem]),
		area:  ctx.Scratch[numElem : 2*numElem],
		cls:   ctx.Scratch[2*numElem : 3*numElem],
		x1:    ctx.Scratch[3*numElem : 4*numElem],
		y1:    ctx.Scratch[4*numElem : 5*numElem],
		x2:    ctx.Scratch[5*numElem : 6*numElem],
		y2:    ctx.Scratch[6*numElem : 7*numElem],
		group: int32View(ctx.Scratch[7*numElem : 8*numElem]),
	}
	order := ws.order
	for i := range yd {
		yd[i] = -1
	}
	for i := range rd {
		rd[i] = -1
	}
	bg := float32(p.BackgroundID)
	cc := cancelCheck{ctx: ctx}
	for b := range numBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		base := b * numElem * width
		xb := xd[base : base+numElem*width]
		// valid candidates, stably sorted by descending score
		n := 0
		for e := range numElem {
			row := xb[e*width : (e+1)*width]
			if !(row[p.ScoreIndex] > p.ValidThresh) {
				continue
			}
			if p.IDIndex >= 0 && !(row[p.IDIndex] != bg) {
				continue
			}
			order[n] = int32(e)
			n++
		}
		cand := order[:n]
		slices.SortStableFunc(cand, func(a, c int32) int {
			sa, sc := xb[int(a)*width+p.ScoreIndex], xb[int(c)*width+p.ScoreIndex]
			switch {
			case sa > sc:
				return -1
			case sa < sc:
				return 1
			}
			return 0
		})
		k := min(n, topk)
		cand = cand[:k]
		for i, e := range cand {
			row := xb[int(e)*width : (int(e)+1)*width]
			box := row[p.CoordStart : p.CoordStart+4]
			ws.area[i] = boxArea(box, p.InFormat)
			ws.x1[i], ws.y1[i], ws.x2[i], ws.y2[i] = boxCorners(box, p.InFormat)
			if p.IDIndex >= 0 {
				ws.cls[i] = float32(math.Trunc(float64(row[p.IDIndex])))
			}
		}
		if err := nmsSuppress(p, cand, &ws, &cc); err != nil {
			return err
		}
		// write the kept rows in score order
		cnt := 0
		for _, e := range cand {
			if e < 0 {
				continue
			}
			dst := base + cnt*width
			copy(yd[dst:dst+width], xb[int(e)*width:(int(e)+1)*width])
			rd[b*numElem+cnt] = float32(b*numElem + int(e))
			cnt++
		}
	}
	if p.InFormat != p.OutFormat {
		for r := 0; r < total; r += width {
			c := yd[r+p.CoordStart : r+p.CoordStart+4]
			if c[0] < 0 {
				continue
			}
			if p.OutFormat == BoxCenter {
				l, t, rr, bt := c[0], c[1], c[2], c[3]
				c[0], c[1], c[2], c[3] = (l+rr)/2, (t+bt)/2, rr-l, bt-t
			} else {
				cx, cy, hw, hh := c[0], c[1], c[2]/2, c[3]/2
				c[0], c[1], c[2], c[3] = cx-hw, cy-hh, cx+hw, cy+hh
			}
		}
	}
	return ctx.Err()
}

// nmsScratch is box_nms's per-batch workspace: the candidate order and,
// per candidate, its area, truncated class id and corners.
type nmsScratch struct {
	order, group              []int32
	area, cls, x1, y1, x2, y2 []float32
}

// nmsSuppress marks suppressed candidates with −1 in cand (positions in
// descending score order; ws holds their areas, classes and corners): each
// kept box suppresses every later box (of the same class unless
// force_suppress) whose IoU with it exceeds overlap_thresh, computed in
// float32 as MXNet's nms_impl does. Boxes of different classes never
// interact, so class-aware NMS runs on each class's candidates separately
// (grouped by a stable sort, which keeps each class in score order). It
// returns the context's error once cc sees the call cancelled.
func nmsSuppress(p *BoxNMSParam, cand []int32, ws *nmsScratch, cc *cancelCheck) error {
	k := len(cand)
	grp := ws.group[:k]
	for i := range grp {
		grp[i] = int32(i)
	}
	if p.ForceSuppress || p.IDIndex < 0 {
		return nmsGroup(p.OverlapThresh, cand, grp, ws, cc)
	}
	cls := ws.cls[:k]
	slices.SortStableFunc(grp, func(a, b int32) int {
		switch ca, cb := cls[a], cls[b]; {
		case ca < cb:
			return -1
		case ca > cb:
			return 1
		}
		return 0
	})
	for lo := 0; lo < k; {
		hi := lo + 1
		for hi < k && cls[grp[hi]] == cls[grp[lo]] {
			hi++
		}
		if err := nmsGroup(p.OverlapThresh, cand, grp[lo:hi], ws, cc); err != nil {
			return err
		}
		lo = hi
	}
	return nil
}

// nmsGroup runs greedy NMS over the candidates at positions grp (ascending,
// i.e. in score order), all of which may suppress each other.
func nmsGroup(th float32, cand, grp []int32, ws *nmsScratch, cc *cancelCheck) error {
	for gi, i := range grp {
		if cand[i] >= 0 {
			if err := cc.tick(len(grp) - gi); err != nil {
				return err
			}
			nmsRef(th, int(i), cand, grp[gi+1:], ws)
		}
	}
	return nil
}

// nmsRef lets kept candidate i suppress the later candidates at positions
// grp whose IoU with it exceeds th.
func nmsRef(th float32, i int, cand, grp []int32, ws *nmsScratch) {
	x1, y1, x2, y2, area := ws.x1, ws.y1, ws.x2, ws.y2, ws.area
	l1, t1, r1, b1, a1 := x1[i], y1[i], x2[i], y2[i], area[i]
	for _, j := range grp {
		if cand[j] < 0 {
			continue
		}
		w := min(r1, x2[j]) - max(l1, x1[j])
		h := min(b1, y2[j]) - max(t1, y1[j])
		var inter float32
		if w > 0 && h > 0 {
			inter = float32(w * h)
		} else if th >= 0 {
			continue // IoU 0 (or 0/0) never exceeds a non-negative threshold
		}
		if iou := inter / float32(float32(a1+area[j])-inter); iou > th {
			cand[j] = -1
		}
	}
}

// boxIOUForward is _contrib_box_iou: the IoU of every lhs box with every
// rhs box (compute_overlap), 0 when the boxes do not intersect.
func boxIOUForward(ctx *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*BoxIOUParam)
	if err := float32Only("box_iou", in, out); err != nil {
		return err
	}
	ld, rd, od := in[0].Float32s(), in[1].Float32s(), out[0].Float32s()
	nl, nr := len(ld)/4, len(rd)/4
	if len(od) != nl*nr {
		return fmt.Errorf("box_iou: output %s does not match lhs %s, rhs %s", out[0], in[0], in[1])
	}
	cc := cancelCheck{ctx: ctx}
	for i := range nl {
		if err := cc.tick(nr + 1); err != nil {
			return err
		}
		a := ld[4*i : 4*i+4]
		l1, t1, r1, b1 := boxCorners(a, p.Format)
		a1 := boxArea(a, p.Format)
		row := od[i*nr : (i+1)*nr]
		for j := range nr {
			b := rd[4*j : 4*j+4]
			l2, t2, r2, b2 := boxCorners(b, p.Format)
			inter := float32(overlap1D(l1, r1, l2, r2) * overlap1D(t1, b1, t2, b2))
			if inter <= 0 {
				row[j] = 0
				continue
			}
			row[j] = inter / float32(float32(a1+boxArea(b, p.Format))-inter)
		}
	}
	return ctx.Err()
}
