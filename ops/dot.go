package ops

import "fmt"

// DotParam is dot's and batch_dot's parameters [src/operator/tensor/dot-inl.h].
type DotParam struct {
	TransposeA   bool          `mx:"transpose_a"`
	TransposeB   bool          `mx:"transpose_b"`
	ForwardStype Optional[int] `mx:"forward_stype" enum:"default,row_sparse,csr"`
}

func init() {
	params := NewParams[DotParam]()
	lhsRHS := func(any) []string { return []string{"lhs", "rhs"} }
	Register(&Op{
		Name:       "dot",
		Params:     params,
		InputNames: lhsRHS,
		InferShape: dotShape,
		InferType:  SameType,
		Supports:   float32Kernel,
		Forward:    dotForward,
		Backward:   dotBackward,
	})
	Register(&Op{
		Name:       "batch_dot",
		Params:     params,
		InputNames: lhsRHS,
		InferShape: batchDotShape,
		InferType:  SameType,
		Supports:   float32Kernel,
		Forward:    batchDotForward,
		Backward:   batchDotBackward,
	})
}

// dotShape follows DotShape. Two 1-D inputs give (1,). Otherwise lhs is a
// matrix (prod(shape[:-1]), shape[-1]) — with transpose_a (shape[0],
// prod(shape[1:])) transposed — and rhs (shape[0], prod(shape[1:])) — with
// transpose_b (prod(shape[:-1]), shape[-1]) transposed; the output is the
// non-contracted dims of lhs followed by those of rhs.
func dotShape(params any, in, out []Shape) error {
	p := params.(*DotParam)
	l, r := in[0], in[1]
	if l == nil || r == nil {
		return nil
	}
	if len(l) == 0 || len(r) == 0 {
		return fmt.Errorf("dot of 0-d inputs %s and %s", ShapeString(l), ShapeString(r))
	}
	if len(l) == 1 && len(r) == 1 {
		if p.TransposeA || p.TransposeB {
			return fmt.Errorf("cannot transpose vectors")
		}
		if l[0] >= 0 && r[0] >= 0 && l[0] != r[0] {
			return fmt.Errorf("dot shape error: %s X %s", ShapeString(l), ShapeString(r))
		}
		return assignShape(&out[0], Shape{1}, "output")
	}
	var lKeep, lSum, rKeep, rSum Shape
	if p.TransposeA {
		lSum, lKeep = l[:1], l[1:]
	} else {
		lKeep, lSum = l[:len(l)-1], l[len(l)-1:]
	}
	if p.TransposeB {
		rKeep, rSum = r[:len(r)-1], r[len(r)-1:]
	} else {
		rSum, rKeep = r[:1], r[1:]
	}
	if len(l) == 1 {
		lSum, lKeep = l, nil
	}
	if len(r) == 1 {
		rSum, rKeep = r, nil
	}
	if a, b := prod(lSum), prod(rSum); a >= 0 && b >= 0 && a != b {
		return fmt.Errorf("dot shape error: %s X %s", ShapeString(l), ShapeString(r))
	}
	o := append(append(Shape{}, lKeep...), rKeep...)
	return assignShape(&out[0], o, "output")
}

// batchDotShape follows BatchDotShape: (..., M, K) x (..., K, N) gives
// (..., M, N) for inputs of equal rank >= 3 with equal batch dims;
// transpose_a/b swap the last two axes of an operand.
func batchDotShape(params any, in, out []Shape) error {
	p := params.(*DotParam)
	l, r := in[0], in[1]
	if l == nil || r == nil {
		return nil
	}
	n := len(l)
	if n < 3 || len(r) != n {
		return fmt.Errorf("batch_dot needs inputs of the same rank >= 3, got %s X %s", ShapeString(l), ShapeString(r))
	}
	for i := 0; i < n-2; i++ {
		if l[i] >= 0 && r[i] >= 0 && l[i] != r[i] {
			return fmt.Errorf("batch_dot batch dims differ: %s X %s", ShapeString(l), ShapeString(r))
		}
	}
	m, lk := l[n-2], l[n-1]
	if p.TransposeA {
		m, lk = lk, m
	}
	rk, nn := r[n-2], r[n-1]
	if p.TransposeB {
		rk, nn = nn, rk
	}
	if lk >= 0 && rk >= 0 && lk != rk {
		return fmt.Errorf("batch_dot shape error: %s X %s", ShapeString(l), ShapeString(r))
	}
	o := cloneShape(l[:n-2])
	for i := range o {
		if o[i] < 0 {
			o[i] = r[i]
		}
	}
	return assignShape(&out[0], append(o, m, nn), "output")
}
