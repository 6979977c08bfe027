package ops

import "fmt"

// BoxFormat is how a bounding box's 4 coordinates are encoded
// (box_common_enum::BoxType).
type BoxFormat int

// Box encodings: BoxCorner is [xmin, ymin, xmax, ymax], BoxCenter is
// [x, y, width, height].
const (
	BoxCorner BoxFormat = iota
	BoxCenter
)

// BoxNMSParam is _contrib_box_nms's parameters
// [src/operator/contrib/bounding_box-inl.h]. MXNet treats every negative
// topk as "no limit"; mxgo rejects topk < -1 as a malformed attribute.
type BoxNMSParam struct {
	OverlapThresh float32   `mx:"overlap_thresh" default:"0.5"`
	ValidThresh   float32   `mx:"valid_thresh" default:"0"`
	TopK          int       `mx:"topk" default:"-1" min:"-1"`
	CoordStart    int       `mx:"coord_start" default:"2"`
	ScoreIndex    int       `mx:"score_index" default:"1"`
	IDIndex       int       `mx:"id_index" default:"-1"`
	BackgroundID  int       `mx:"background_id" default:"-1"`
	ForceSuppress bool      `mx:"force_suppress" default:"false"`
	InFormat      BoxFormat `mx:"in_format" default:"corner" enum:"corner,center"`
	OutFormat     BoxFormat `mx:"out_format" default:"corner" enum:"corner,center"`
}

// BoxIOUParam is _contrib_box_iou's parameters (BoxOverlapParam).
type BoxIOUParam struct {
	Format BoxFormat `mx:"format" default:"corner" enum:"corner,center"`
}

func init() {
	Register(&Op{
		Name:              "_contrib_box_nms",
		Aliases:           []string{"_contrib_box_non_maximum_suppression"},
		Params:            NewParams[BoxNMSParam](),
		NumOutputs:        func(any) int { return 2 },
		NumVisibleOutputs: func(any) int { return 1 },
		InferShape:        boxNMSShape,
		InferType:         SameType,
		Supports:          float32Kernel,
		Forward:           boxNMSForward,
		Workspace:         boxNMSWorkspace,
	})
	Register(&Op{
		Name:       "_contrib_box_iou",
		Params:     NewParams[BoxIOUParam](),
		InputNames: func(any) []string { return []string{"lhs", "rhs"} },
		InferShape: boxIOUShape,
		InferType:  SameType,
		Supports:   float32Kernel,
		Forward:    boxIOUForward,
	})
}

// boxNMSShape follows BoxNMSShape: data is (..., num_box, width) with
// width ≥ 5 (6 with id_index); score_index, the 4 coordinates from
// coord_start and id_index must lie inside the row and not overlap. The
// output has the data shape, the hidden second output (the kept boxes'
// input positions) the data shape with width 1.
func boxNMSShape(params any, in, out []Shape) error {
	p := params.(*BoxNMSParam)
	d := in[0]
	if d == nil {
		if out[0] == nil {
			return nil
		}
		if err := assignShape(&in[0], out[0], "data"); err != nil {
			return err
		}
		d = in[0]
	}
	if len(d) < 2 {
		return fmt.Errorf("data %s must have at least 2 dims (..., num_box, box_width)", ShapeString(d))
	}
	w := d[len(d)-1]
	if w < 0 {
		return nil
	}
	expected := 5
	if p.IDIndex >= 0 {
		expected = 6
	}
	if w < expected {
		return fmt.Errorf("box width %d too small: need at least %d (score, 4 coordinates, class id if id_index >= 0)", w, expected)
	}
	cs, ce := p.CoordStart, p.CoordStart+3
	if p.ScoreIndex < 0 || p.ScoreIndex >= w {
		return fmt.Errorf("score_index %d out of range [0, %d)", p.ScoreIndex, w)
	}
	if p.ScoreIndex >= cs && p.ScoreIndex <= ce {
		return fmt.Errorf("score_index %d conflicts with the coordinates [%d, %d]", p.ScoreIndex, cs, ce)
	}
	if cs < 0 || ce >= w {
		return fmt.Errorf("coordinates [%d, %d] (coord_start %d) out of range [0, %d)", cs, ce, p.CoordStart, w)
	}
	if p.IDIndex >= 0 {
		if p.IDIndex >= w {
			return fmt.Errorf("id_index %d out of range [0, %d)", p.IDIndex, w)
		}
		if p.IDIndex >= cs && p.IDIndex <= ce {
			return fmt.Errorf("id_index %d conflicts with the coordinates [%d, %d]", p.IDIndex, cs, ce)
		}
		if p.IDIndex == p.ScoreIndex {
			return fmt.Errorf("id_index %d conflicts with score_index %d", p.IDIndex, p.ScoreIndex)
		}
	}
	if err := assignShape(&out[0], d, "output"); err != nil {
		return err
	}
	o := cloneShape(d)
	o[len(o)-1] = 1
	return assignShape(&out[1], o, "output1")
}

// boxNMSWorkspace is one batch's scratch (nmsScratch): the candidate
// order and class grouping (int32) and each box's area, class and 4 corner coordinates.
func boxNMSWorkspace(_ any, in []Shape) int {
	if len(in) == 0 || !ShapeKnown(in[0]) || len(in[0]) < 2 {
		return 0
	}
	return 8 * in[0][len(in[0])-2]
}

// boxIOUShape follows BoxOverlapShape: lhs (a_1..a_n, 4) and rhs
// (b_1..b_m, 4) give (a_1..a_n, b_1..b_m).
func boxIOUShape(_ any, in, out []Shape) error {
	l, r := in[0], in[1]
	for i, s := range []Shape{l, r} {
		if s == nil {
			continue
		}
		name := [2]string{"lhs", "rhs"}[i]
		if len(s) < 2 {
			return fmt.Errorf("%s %s must have at least 2 dims", name, ShapeString(s))
		}
		if last := s[len(s)-1]; last >= 0 && last != 4 {
			return fmt.Errorf("last dimension of %s %s must be 4", name, ShapeString(s))
		}
	}
	if l == nil || r == nil {
		return nil
	}
	o := make(Shape, 0, len(l)+len(r)-2)
	o = append(o, l[:len(l)-1]...)
	o = append(o, r[:len(r)-1]...)
	if err := checkedSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}

// checkedSize reports an error when the known dims of s multiply beyond
// the int range (shape arithmetic from untrusted attributes or inputs).
func checkedSize(s Shape) error {
	n := 1
	for _, d := range s {
		if d <= 0 {
			continue
		}
		if n > maxElems/d {
			return fmt.Errorf("shape %s has too many elements", ShapeString(s))
		}
		n *= d
	}
	return nil
}

// maxElems bounds the element count of a shape the detection ops compute.
const maxElems = 1 << 40
