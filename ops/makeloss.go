package ops

import "fmt"

// MakeLossParam is the legacy MakeLoss operator's parameters
// [src/operator/make_loss-inl.h]. They only shape the gradient; the
// forward pass is the identity.
type MakeLossParam struct {
	GradScale     float32 `mx:"grad_scale" default:"1"`
	ValidThresh   float32 `mx:"valid_thresh" default:"0"`
	Normalization int     `mx:"normalization" default:"null" enum:"null,batch,valid"`
}

func init() {
	Register(&Op{
		Name:       "MakeLoss",
		Params:     NewParams[MakeLossParam](),
		InferShape: sameShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    copyForward,
		Backward:   makeLossBackward,
	})
	// [src/operator/contrib/transformer.cc]
	Register(&Op{
		Name:       "_contrib_div_sqrt_dim",
		InferShape: divSqrtDimShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    divSqrtDimForward,
	})
	// [src/operator/tensor/elemwise_binary_scalar_op_extended.cc]: scalar
	// is sigma; the type is ElemwiseType, not the numpy scalar rule.
	Register(&Op{
		Name:       "smooth_l1",
		Aliases:    []string{"_npx_smooth_l1"},
		Params:     NewParams[ScalarParam](),
		InferShape: sameShape,
		InferType:  SameType,
		InPlace:    inPlace00,
		Forward:    smoothL1Forward,
	})
}

// divSqrtDimShape is ElemwiseShape plus the forward's check that the data
// has a last axis.
func divSqrtDimShape(params any, in, out []Shape) error {
	if err := sameShape(params, in, out); err != nil {
		return err
	}
	if in[0] != nil && len(in[0]) == 0 {
		return fmt.Errorf("data must have at least 1 dim")
	}
	return nil
}
