package ops

import "fmt"

// ReshapeParam is Reshape's parameters [src/operator/tensor/matrix_op-inl.h].
// TargetShape and KeepHighest are the deprecated pre-0.9 form.
type ReshapeParam struct {
	Shape       []int `mx:"shape" default:"()"`
	Reverse     bool  `mx:"reverse"`
	TargetShape []int `mx:"target_shape" default:"()"`
	KeepHighest bool  `mx:"keep_highest"`
}

func init() {
	Register(&Op{
		Name:       "Reshape",
		PerSample:  perSampleAlways,
		Aliases:    []string{"reshape"},
		Params:     NewParams[ReshapeParam](),
		InferShape: reshapeShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    copyForward,
		Backward:   copyBackward,
	})
	Register(&Op{
		Name:       "Flatten",
		PerSample:  perSampleAlways,
		Aliases:    []string{"flatten", "_npx_batch_flatten"},
		InferShape: flattenShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    copyForward,
		Backward:   copyBackward,
	})
}

// reshapeTarget computes Reshape's output shape for input shape in (dims
// may be -1 = unknown), following InferReshapeShape and the deprecated
// target_shape path. It refuses a -1 placed after -2 or -4, where MXNet
// writes the inferred dim at the wrong position.
func reshapeTarget(p *ReshapeParam, in Shape) (Shape, error) {
	if len(p.Shape) == 0 {
		return targetShape(p, in)
	}
	src := cloneShape(in)
	spec := append([]int{}, p.Shape...)
	if p.Reverse {
		reverseInts(src)
		reverseInts(spec)
	}
	var out Shape
	si, inf := 0, -1
	misaligned := false
	next := func() (int, error) {
		if si >= len(src) {
			return 0, fmt.Errorf("shape %s consumes more dims than the input %s has", ShapeString(p.Shape), ShapeString(in))
		}
		si++
		return src[si-1], nil
	}
	for i := 0; i < len(spec); i++ {
		switch v := spec[i]; {
		case v == 0:
			d, err := next()
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		case v == -1:
			if inf >= 0 {
				return nil, fmt.Errorf("shape %s: only one dim can be inferred (-1)", ShapeString(p.Shape))
			}
			if misaligned {
				return nil, fmt.Errorf("shape %s: -1 after -2 or -4 is not supported (MXNet infers it at the wrong position)", ShapeString(p.Shape))
			}
			inf = len(out)
			out = append(out, 1)
			si++
		case v == -2:
			out = append(out, src[min(si, len(src)):]...)
			si = len(src)
			misaligned = true
		case v == -3:
			if si+1 >= len(src) {
				return nil, fmt.Errorf("shape %s: -3 needs two input dims", ShapeString(p.Shape))
			}
			d1, d2 := src[si], src[si+1]
			si += 2
			if d1 < 0 || d2 < 0 {
				out = append(out, -1)
			} else {
				out = append(out, d1*d2)
			}
		case v == -4:
			if i+2 >= len(spec) {
				return nil, fmt.Errorf("shape %s: -4 needs two following values", ShapeString(p.Shape))
			}
			d0, err := next()
			if err != nil {
				return nil, err
			}
			d1, d2 := spec[i+1], spec[i+2]
			i += 2
			if d1 == -1 && d2 == -1 {
				return nil, fmt.Errorf("shape %s: split dims cannot both be -1", ShapeString(p.Shape))
			}
			if d1 == -1 && d0 >= 0 && d2 != 0 {
				d1 = d0 / d2
			}
			if d2 == -1 && d0 >= 0 && d1 != 0 {
				d2 = d0 / d1
			}
			if d0 >= 0 && d1*d2 != d0 {
				return nil, fmt.Errorf("shape %s: split dims %d, %d do not divide input dim %d", ShapeString(p.Shape), d1, d2, d0)
			}
			out = append(out, d1, d2)
			misaligned = true
		case v > 0:
			out = append(out, v)
			si++
		default:
			return nil, fmt.Errorf("shape %s: invalid value %d", ShapeString(p.Shape), v)
		}
	}
	if inf >= 0 {
		if total := prod(in); total >= 0 {
			rest := 1
			for _, d := range out {
				var err error
				if rest, err = mulDim(rest, d); err != nil {
					return nil, fmt.Errorf("shape %s: %w", ShapeString(p.Shape), err)
				}
			}
			if rest == 0 {
				out[inf] = 0
			} else {
				out[inf] = total / rest
			}
		} else {
			out[inf] = -1
		}
	}
	if p.Reverse {
		reverseInts(out)
	}
	if out == nil {
		out = Shape{}
	}
	return out, nil
}

// targetShape is the deprecated target_shape form: a single 0 entry is
// inferred; keep_highest keeps the input's first dim.
func targetShape(p *ReshapeParam, in Shape) (Shape, error) {
	if len(p.TargetShape) == 0 {
		return nil, nil
	}
	out := cloneShape(p.TargetShape)
	start := 0
	if p.KeepHighest {
		out[0] = in[0]
		start = 1
	}
	zeros, at := 0, 0
	for i := start; i < len(out); i++ {
		if out[i] == 0 {
			zeros++
			at = i
		}
	}
	if zeros == 1 {
		out[at] = 1
		if total, rest := prod(in), prod(out); total >= 0 && rest > 0 {
			out[at] = total / rest
		} else {
			out[at] = -1
		}
	}
	return out, nil
}

func reverseInts(s []int) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// reshapeShape follows ReshapeShape: compute the target from the input,
// check the sizes agree, and fill one unknown dim on either side from the
// other (ReverseReshapeInferShape).
func reshapeShape(params any, in, out []Shape) error {
	p := params.(*ReshapeParam)
	if in[0] == nil {
		return nil
	}
	o, err := reshapeTarget(p, in[0])
	if err != nil {
		return err
	}
	if o == nil { // no shape given: only the sizes relate input and output
		fillOneUnknown(in[0], out[0])
		return nil
	}
	if ShapeKnown(o) && ShapeKnown(in[0]) && prod(o) != prod(in[0]) {
		return fmt.Errorf("target shape %s has a different size than input %s", ShapeString(o), ShapeString(in[0]))
	}
	if err := assignShape(&out[0], o, "output"); err != nil {
		return err
	}
	fillOneUnknown(in[0], out[0])
	fillOneUnknown(out[0], in[0])
	return nil
}

// fillOneUnknown sets the single unknown dim of s (if exactly one) so that
// s has as many elements as the fully known shape t.
func fillOneUnknown(s, t Shape) {
	if s == nil || !ShapeKnown(t) {
		return
	}
	at, known := -1, 1
	for i, d := range s {
		if d < 0 {
			if at >= 0 {
				return
			}
			at = i
		} else {
			known *= d
		}
	}
	if at >= 0 && known > 0 {
		s[at] = prod(t) / known
	}
}

// flattenShape follows FlattenShape: (d0, d1*d2*...), and (n, 1) for 1-D
// input.
func flattenShape(_ any, in, out []Shape) error {
	d := in[0]
	if d == nil {
		return nil
	}
	if len(d) == 0 {
		return fmt.Errorf("cannot flatten a 0-d input")
	}
	return assignShape(&out[0], Shape{d[0], prod(d[1:])}, "output")
}
