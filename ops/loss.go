package ops

import "fmt"

// SoftmaxNormalization is SoftmaxOutput's normalization.
type SoftmaxNormalization int

// SoftmaxOutput normalization modes.
const (
	NormNull SoftmaxNormalization = iota
	NormBatch
	NormValid
)

// SoftmaxOutputParam is SoftmaxOutput's parameters
// [src/operator/softmax_output-inl.h].
type SoftmaxOutputParam struct {
	GradScale     float32              `mx:"grad_scale" default:"1"`
	IgnoreLabel   float32              `mx:"ignore_label" default:"-1"`
	MultiOutput   bool                 `mx:"multi_output"`
	UseIgnore     bool                 `mx:"use_ignore"`
	PreserveShape bool                 `mx:"preserve_shape"`
	Normalization SoftmaxNormalization `mx:"normalization" default:"null" enum:"null,batch,valid"`
	OutGrad       bool                 `mx:"out_grad"`
	SmoothAlpha   float32              `mx:"smooth_alpha" default:"0"`
}

// RegressionOutputParam is the parameters of LinearRegressionOutput,
// LogisticRegressionOutput and MAERegressionOutput
// [src/operator/regression_output-inl.h].
type RegressionOutputParam struct {
	GradScale float32 `mx:"grad_scale" default:"1"`
}

func init() {
	dataLabel := func(any) []string { return []string{"data", "label"} }
	Register(&Op{
		Name:        "SoftmaxOutput",
		PerSample:   perSampleAlways,
		Supports:    float32Data,
		Aliases:     []string{"Softmax"},
		Params:      NewParams[SoftmaxOutputParam](),
		InputNames:  dataLabel,
		OutputNames: outputNames("output"),
		InferShape:  softmaxOutputShape,
		InferType:   SameType,
		InPlace:     inPlace00,
		Forward:     softmaxOutputForward,
		Backward:    softmaxOutputBackward,
	})
	regression := NewParams[RegressionOutputParam]()
	for _, name := range []string{"LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput"} {
		Register(&Op{
			Name:        name,
			PerSample:   perSampleAlways,
			Supports:    float32Data,
			Params:      regression,
			InputNames:  dataLabel,
			OutputNames: outputNames("output"),
			InferShape:  regressionOutputShape,
			InferType:   SameType,
			InPlace:     inPlace00,
			Forward:     regressionForward(name == "LogisticRegressionOutput"),
			Backward:    regressionBackward(name == "MAERegressionOutput"),
		})
	}
}

// softmaxOutputShape follows SoftmaxOutputShape. The output has the data's
// shape. A label equal to the data shape holds probabilities; otherwise
// with multi_output the label is (N, prod(rest)/C), (N, rest...) or the
// data shape with dim 1 set to 1, and without it the data shape minus its
// last dim.
func softmaxOutputShape(params any, in, out []Shape) error {
	p := params.(*SoftmaxOutputParam)
	d := in[0]
	if d == nil {
		return nil
	}
	if err := assignShape(&out[0], d, "output"); err != nil {
		return err
	}
	if sameDims(d, in[1]) {
		return nil
	}
	if !p.MultiOutput {
		if len(d) == 0 {
			return fmt.Errorf("data must have at least 1 dim")
		}
		return assignShape(&in[1], cloneShape(d[:len(d)-1]), "label")
	}
	if len(d) < 2 {
		return fmt.Errorf("multi_output needs data with at least 2 dims, got %s", ShapeString(d))
	}
	l1 := Shape{d[0], -1}
	if n := prod(d); n >= 0 && d[0] > 0 && d[1] > 0 {
		l1[1] = n / d[0] / d[1]
	}
	l2 := append(Shape{d[0]}, d[2:]...)
	l3 := cloneShape(d)
	l3[1] = 1
	if in[1] == nil {
		in[1] = l1
		return nil
	}
	for _, l := range []Shape{l1, l2, l3} {
		if sameDims(in[1], l) {
			return nil
		}
	}
	return fmt.Errorf("label shape %s does not match data %s: expecting %s or %s", ShapeString(in[1]), ShapeString(d), ShapeString(l1), ShapeString(l2))
}

// sameDims reports whether a and b are both known-rank and equal.
func sameDims(a, b Shape) bool {
	if a == nil || b == nil || len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// regressionOutputShape follows RegressionOpShape: the output has the
// data's shape; an unknown label becomes (N,) for (N, 1) data and the data
// shape otherwise; a given label must agree in its first dim and size.
func regressionOutputShape(_ any, in, out []Shape) error {
	d := in[0]
	if !ShapeKnown(d) {
		return nil
	}
	if len(d) == 0 {
		return fmt.Errorf("data must have at least 1 dim")
	}
	l := in[1]
	switch {
	case l == nil:
		if len(d) == 2 && d[1] == 1 {
			in[1] = Shape{d[0]}
		} else {
			in[1] = cloneShape(d)
		}
	case ShapeKnown(l) && (len(l) == 0 || l[0] != d[0] || prod(l) != prod(d)):
		return fmt.Errorf("label shape %s does not match data %s", ShapeString(l), ShapeString(d))
	}
	return assignShape(&out[0], d, "output")
}
