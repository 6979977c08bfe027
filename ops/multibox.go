package ops

import (
	"fmt"
	"maps"
	"math"
	"reflect"
)

// MultiBoxPriorParam is _contrib_MultiBoxPrior's parameters
// [src/operator/contrib/multibox_prior-inl.h].
type MultiBoxPriorParam struct {
	Sizes   []float32 // sizes, default (1,)
	Ratios  []float32 // ratios, default (1,)
	Clip    bool      `mx:"clip" default:"false"`
	Steps   []float32 // steps (step_y, step_x), default (-1, -1): 1/H, 1/W
	Offsets []float32 // offsets (y, x), default (0.5, 0.5)
}

// MultiBoxDetectionParam is _contrib_MultiBoxDetection's parameters
// [src/operator/contrib/multibox_detection-inl.h]. background_id is
// accepted but, as in MXNet, class 0 is always the background.
type MultiBoxDetectionParam struct {
	Clip          bool      `mx:"clip" default:"true"`
	Threshold     float32   `mx:"threshold" default:"0.01"`
	BackgroundID  int       `mx:"background_id" default:"0"`
	NMSThreshold  float32   `mx:"nms_threshold" default:"0.5"`
	ForceSuppress bool      `mx:"force_suppress" default:"false"`
	Variances     []float32 // variances, default (0.1, 0.1, 0.2, 0.2)
	NMSTopK       int       `mx:"nms_topk" default:"-1"`
}

// MultiBoxTargetParam is _contrib_MultiBoxTarget's parameters
// [src/operator/contrib/multibox_target-inl.h]. minimum_negative_samples
// is accepted and, as in MXNet 1.9.1, unused.
type MultiBoxTargetParam struct {
	OverlapThreshold       float32   `mx:"overlap_threshold" default:"0.5"`
	IgnoreLabel            float32   `mx:"ignore_label" default:"-1"`
	NegativeMiningRatio    float32   `mx:"negative_mining_ratio" default:"-1"`
	NegativeMiningThresh   float32   `mx:"negative_mining_thresh" default:"0.5"`
	MinimumNegativeSamples int       `mx:"minimum_negative_samples" default:"0"`
	Variances              []float32 // variances, default (0.1, 0.1, 0.2, 0.2)
}

// floatTuple declares one mxnet::Tuple<float> parameter, which Params
// cannot hold: its key, default and destination field.
type floatTuple struct {
	name, def string
	field     string
}

// tupleParams parses a parameter struct whose plain fields Params declares
// (mx tags) and whose Tuple<float> fields are listed in tuples.
type tupleParams[T any] struct {
	base   *Params[T]
	tuples []floatTuple
	check  func(*T) error
}

// Fields describes the declared parameters: the tagged fields, then the
// float tuples.
func (tp *tupleParams[T]) Fields() []ParamField {
	f := tp.base.Fields()
	for _, t := range tp.tuples {
		f = append(f, ParamField{Name: t.name, Type: "tuple of <float>", Default: t.def})
	}
	return f
}

// ParseAny parses attrs into a *T (dmlc::Parameter rules) and runs the
// op's parameter checks.
func (tp *tupleParams[T]) ParseAny(attrs map[string]string) (any, error) {
	rest, cloned := attrs, false
	for _, t := range tp.tuples {
		if _, ok := attrs[t.name]; ok {
			if !cloned {
				rest, cloned = maps.Clone(attrs), true
			}
			delete(rest, t.name)
		}
	}
	p, err := tp.base.Parse(rest)
	if err != nil {
		return nil, err
	}
	v := reflect.ValueOf(p).Elem()
	for _, t := range tp.tuples {
		s, ok := attrs[t.name]
		if !ok {
			s = t.def
		}
		vals, err := parseFloatTuple(s)
		if err != nil {
			return nil, fmt.Errorf("invalid value %q for parameter %s (expect tuple of <float>): %w", s, t.name, err)
		}
		v.FieldByName(t.field).Set(reflect.ValueOf(vals))
	}
	if tp.check != nil {
		if err := tp.check(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// parseFloatTuple is mxnet::Tuple<float>'s operator>>: "(0.1, 0.2)",
// "[1,2]", a bare number, "()"; each element is read as a float.
func parseFloatTuple(s string) ([]float32, error) {
	st := stream{s: s}
	read := func(st *stream) (int64, bool) {
		return int64(math.Float64bits(st.readStreamFloat())), true
	}
	vals, _, known := parseTuple(&st, read, false)
	if st.fail || !st.restOnlySpace() || !known {
		return nil, errSyntax
	}
	out := make([]float32, len(vals))
	for i, b := range vals {
		out[i] = float32(math.Float64frombits(uint64(b)))
	}
	return out, nil
}

func init() {
	Register(&Op{
		Name:    "_contrib_MultiBoxPrior",
		Aliases: []string{"_npx_multibox_prior"},
		Params: &tupleParams[MultiBoxPriorParam]{
			base: NewParams[MultiBoxPriorParam](),
			tuples: []floatTuple{{"sizes", "(1.0,)", "Sizes"}, {"ratios", "(1.0,)", "Ratios"},
				{"steps", "(-1.0, -1.0)", "Steps"}, {"offsets", "(0.5, 0.5)", "Offsets"}},
			check: checkPrior,
		},
		InferShape: multiBoxPriorShape,
		InferType:  SameType,
		Supports:   float32Kernel,
		Forward:    multiBoxPriorForward,
	})
	Register(&Op{
		Name:    "_contrib_MultiBoxDetection",
		Aliases: []string{"_npx_multibox_detection"},
		Params: &tupleParams[MultiBoxDetectionParam]{
			base:   NewParams[MultiBoxDetectionParam](),
			tuples: []floatTuple{{"variances", "(0.1, 0.1, 0.2, 0.2)", "Variances"}},
			check: func(p *MultiBoxDetectionParam) error {
				if len(p.Variances) != 4 {
					return fmt.Errorf("variances must have 4 entries, got %d", len(p.Variances))
				}
				return nil
			},
		},
		InputNames: func(any) []string { return []string{"cls_prob", "loc_pred", "anchor"} },
		InferShape: multiBoxDetectionShape,
		InferType:  SameType,
		Supports:   float32Kernel,
		Forward:    multiBoxDetectionForward,
		Workspace:  multiBoxDetectionWorkspace,
	})
	Register(&Op{
		Name:    "_contrib_MultiBoxTarget",
		Aliases: []string{"_npx_multibox_target"},
		Params: &tupleParams[MultiBoxTargetParam]{
			base:   NewParams[MultiBoxTargetParam](),
			tuples: []floatTuple{{"variances", "(0.1, 0.1, 0.2, 0.2)", "Variances"}},
			check: func(p *MultiBoxTargetParam) error {
				if len(p.Variances) != 4 {
					return fmt.Errorf("variances must have 4 entries, got %d", len(p.Variances))
				}
				if p.NegativeMiningRatio > 0 && !(p.NegativeMiningThresh > 0) {
					return fmt.Errorf("negative_mining_thresh %g must be > 0 when negative mining is on", p.NegativeMiningThresh)
				}
				return nil
			},
		},
		InputNames:  func(any) []string { return []string{"anchor", "label", "cls_pred"} },
		NumOutputs:  func(any) int { return 3 },
		OutputNames: outputNames("loc_target", "loc_mask", "cls_target"),
		InferShape:  multiBoxTargetShape,
		InferType:   SameType,
		Supports:    float32Kernel,
		Forward:     multiBoxTargetForward,
		Workspace:   multiBoxTargetWorkspace,
	})
}

// checkPrior is MultiBoxPriorOp's constructor checks plus InferShape's
// steps check and Forward's step sign check.
func checkPrior(p *MultiBoxPriorParam) error {
	switch {
	case len(p.Sizes) == 0:
		return fmt.Errorf("sizes must not be empty")
	case len(p.Ratios) == 0:
		return fmt.Errorf("ratios must not be empty")
	case len(p.Steps) != 2:
		return fmt.Errorf("steps must be (step_y, step_x), got %d entries", len(p.Steps))
	case len(p.Offsets) != 2:
		return fmt.Errorf("offsets must be (y, x), got %d entries", len(p.Offsets))
	case len(p.Sizes) > MaxArity || len(p.Ratios) > MaxArity:
		return fmt.Errorf("%d sizes and %d ratios: too many anchors", len(p.Sizes), len(p.Ratios))
	}
	for _, o := range p.Offsets {
		if !(o >= 0 && o <= 1) {
			return fmt.Errorf("offsets %v must lie in [0, 1]", p.Offsets)
		}
	}
	if !(p.Steps[0]*p.Steps[1] >= 0) {
		return fmt.Errorf("steps %v: specify both step_y and step_x (or neither)", p.Steps)
	}
	return nil
}

// multiBoxPriorShape follows MultiBoxPriorProp::InferShape: data is at
// least 4-D (batch, channel, y, x, ...) and the output is
// (1, H·W·(len(sizes)+len(ratios)−1), 4).
func multiBoxPriorShape(params any, in, out []Shape) error {
	p := params.(*MultiBoxPriorParam)
	d := in[0]
	if d == nil {
		return nil
	}
	if len(d) < 4 {
		return fmt.Errorf("data %s should be 4-D: batch-channel-y-x", ShapeString(d))
	}
	h, w := d[2], d[3]
	if h == 0 || w == 0 {
		return fmt.Errorf("data %s: height and width must be > 0", ShapeString(d))
	}
	if h < 0 || w < 0 {
		return nil
	}
	o := Shape{1, h, w, len(p.Sizes) + len(p.Ratios) - 1, 4}
	if err := checkedSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], Shape{1, h * w * o[3], 4}, "output")
}

// multiBoxDetectionShape follows MultiBoxDetectionProp::InferShape:
// cls_prob (B, C, A), loc_pred (B, 4A), anchor (1, A, 4) give (B, A, 6).
func multiBoxDetectionShape(_ any, in, out []Shape) error {
	c, l, a := in[0], in[1], in[2]
	if c == nil || l == nil || a == nil {
		return nil
	}
	if len(c) != 3 || len(l) != 2 || len(a) != 3 {
		return fmt.Errorf("cls_prob %s, loc_pred %s, anchor %s must be 3-D, 2-D and 3-D",
			ShapeString(c), ShapeString(l), ShapeString(a))
	}
	if !ShapeKnown(c) || !ShapeKnown(l) || !ShapeKnown(a) {
		return nil
	}
	switch {
	case c[2] != a[1]:
		return fmt.Errorf("number of anchors mismatch: cls_prob %s, anchor %s", ShapeString(c), ShapeString(a))
	case a[1] > maxElems/4 || c[2]*4 != l[1]:
		return fmt.Errorf("loc_pred %s must have 4 values per anchor of cls_prob %s", ShapeString(l), ShapeString(c))
	case a[1] <= 0:
		return fmt.Errorf("anchor %s: number of anchors must be > 0", ShapeString(a))
	case a[2] != 4 || a[0] != 1:
		return fmt.Errorf("anchor %s must be (1, num_anchors, 4)", ShapeString(a))
	case l[0] != c[0]:
		return fmt.Errorf("loc_pred %s and cls_prob %s have different batch sizes", ShapeString(l), ShapeString(c))
	}
	o := Shape{c[0], a[1], 6}
	if err := checkedSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}

// multiBoxDetectionWorkspace: the decoded detections (6 per anchor) and
// the sort keys (a uint64 per anchor, from an 8-byte aligned float).
func multiBoxDetectionWorkspace(_ any, in []Shape) int {
	if len(in) < 3 || !ShapeKnown(in[2]) || len(in[2]) != 3 {
		return 0
	}
	return 8*in[2][1] + 1
}

// multiBoxTargetShape follows MultiBoxTargetProp::InferShape: anchor
// (1, A, 4), label (B, L, W ≥ 5) with L > 0, cls_pred (B', C, A) give
// loc_target and loc_mask (B, 4A) and cls_target (B, A).
func multiBoxTargetShape(_ any, in, out []Shape) error {
	a, l, c := in[0], in[1], in[2]
	if a == nil || l == nil || c == nil {
		return nil
	}
	if len(a) != 3 || len(l) != 3 || len(c) != 3 {
		return fmt.Errorf("anchor %s, label %s, cls_pred %s must all be 3-D", ShapeString(a), ShapeString(l), ShapeString(c))
	}
	if !ShapeKnown(a) || !ShapeKnown(l) || !ShapeKnown(c) {
		return nil
	}
	switch {
	case a[0] != 1:
		return fmt.Errorf("anchor %s: anchors are shared across batches, first dimension should be 1", ShapeString(a))
	case a[1] <= 0:
		return fmt.Errorf("anchor %s: number of boxes should be > 0", ShapeString(a))
	case a[2] != 4:
		return fmt.Errorf("anchor %s: box dimension should be 4", ShapeString(a))
	case l[1] <= 0:
		return fmt.Errorf("label %s: padded label count should be > 0", ShapeString(l))
	case l[2] < 5:
		return fmt.Errorf("label %s: label width should be >= 5", ShapeString(l))
	case c[2] != a[1]:
		return fmt.Errorf("number of anchors mismatch: cls_pred %s, anchor %s", ShapeString(c), ShapeString(a))
	case c[1] < 1:
		return fmt.Errorf("cls_pred %s: needs at least one class (the background)", ShapeString(c))
	case c[0] != l[0]:
		return fmt.Errorf("batch size mismatch: cls_pred %s, label %s", ShapeString(c), ShapeString(l))
	}
	if err := checkedSize(Shape{l[0], a[1], max(l[1], 4)}); err != nil {
		return err
	}
	if err := assignShape(&out[0], Shape{l[0], a[1] * 4}, "loc_target"); err != nil {
		return err
	}
	if err := assignShape(&out[1], Shape{l[0], a[1] * 4}, "loc_mask"); err != nil {
		return err
	}
	return assignShape(&out[2], Shape{l[0], a[1]}, "cls_target")
}

// multiBoxTargetWorkspace: one batch's anchor×label IoU matrix, per-anchor
// match IoU, match index, flag and mining key/index, per-label flag.
func multiBoxTargetWorkspace(_ any, in []Shape) int {
	if len(in) < 2 || !ShapeKnown(in[0]) || !ShapeKnown(in[1]) || len(in[0]) != 3 || len(in[1]) != 3 {
		return 0
	}
	na, nl := in[0][1], in[1][1]
	return na*nl + 5*na + nl
}
