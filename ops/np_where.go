package ops

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/mxgo/mxgo/tensor"
)

// The NumPy-interface where of MXNet 2.0 exports
// [src/operator/numpy/np_where_op.cc]: condition, x and y broadcast
// against each other; the _lscalar/_rscalar forms take x or y from an
// attribute, _scalar2 both.

// NpWhereScalarParam is _npi_where_lscalar's and _npi_where_rscalar's
// parameters.
type NpWhereScalarParam struct {
	Scalar float64 `mx:"scalar" default:"0"`
}

// NpWhereScalar2Param is _npi_where_scalar2's parameters.
type NpWhereScalar2Param struct {
	X float64 `mx:"x" default:"0"`
	Y float64 `mx:"y" default:"0"`
}

func init() {
	Register(&Op{
		Name:       "_npi_where",
		InputNames: func(any) []string { return []string{"condition", "x", "y"} },
		InferShape: npWhereShape,
		InferType:  whereType,
		Forward:    npWhereForward,
	})
	// lscalar: out = cond ? scalar : input 1 (which MXNet names "x").
	Register(&Op{
		Name:       "_npi_where_lscalar",
		Params:     NewParams[NpWhereScalarParam](),
		InputNames: func(any) []string { return []string{"condition", "x"} },
		InferShape: npWhereShape,
		InferType:  whereType,
		Forward:    npWhereLScalarForward,
	})
	// rscalar: out = cond ? input 1 ("y") : scalar.
	Register(&Op{
		Name:       "_npi_where_rscalar",
		Params:     NewParams[NpWhereScalarParam](),
		InputNames: func(any) []string { return []string{"condition", "y"} },
		InferShape: npWhereShape,
		InferType:  whereType,
		Forward:    npWhereRScalarForward,
	})
	Register(&Op{
		Name:       "_npi_where_scalar2",
		Params:     NewParams[NpWhereScalar2Param](),
		InputNames: func(any) []string { return []string{"condition"} },
		InferShape: sameShape,
		InferType: func(_ any, _, out []tensor.DType) error {
			return assignType(&out[0], tensor.Float32, "output")
		},
		Forward: npWhereScalar2Forward,
	})
}

// npWhereShape broadcasts every input (NumpyWhereOpShape and
// BinaryBroadcastShape accept exactly NumPy's broadcasting).
func npWhereShape(_ any, in, out []Shape) error {
	var o Shape
	for i, s := range in {
		if s == nil {
			return nil
		}
		if i == 0 {
			o = cloneShape(s)
			continue
		}
		b, err := broadcastShapes(o, s)
		if err != nil {
			return err
		}
		o = b
	}
	if err := checkSize(o); err != nil {
		return err
	}
	return assignShape(&out[0], o, "output")
}

// whereStrides gives t's element strides along the dims of out (right
// aligned; 0 where t has size 1 or lacks the dim).
func whereStrides(t *tensor.Tensor, out *tensor.Tensor, st *dimArray) error {
	var own dimArray
	contiguousStrides(t, &own)
	lead := out.NDim() - t.NDim()
	if lead < 0 {
		return fmt.Errorf("%s has a higher rank than the output %s", t, out)
	}
	for d := range out.NDim() {
		st[d] = 0
		if d < lead {
			continue
		}
		switch n := t.Dim(d - lead); {
		case n == out.Dim(d):
			if n != 1 {
				st[d] = own[d-lead]
			}
		case n == 1:
		default:
			return fmt.Errorf("%s does not broadcast to %s", t, out)
		}
	}
	return nil
}

// scalarBytes encodes v in dtype dt as static_cast<DType>(double) does.
func scalarBytes(dt tensor.DType, v float64) (b [8]byte) {
	switch dt {
	case tensor.Float32:
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(float32(v)))
	case tensor.Float64:
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
	case tensor.Float16:
		binary.LittleEndian.PutUint16(b[:], uint16(tensor.ToHalf(float32(v))))
	case tensor.BFloat16:
		binary.LittleEndian.PutUint16(b[:], uint16(tensor.ToBF16(float32(v))))
	case tensor.Bool:
		if v != 0 {
			b[0] = 1
		}
	default:
		binary.LittleEndian.PutUint64(b[:], uint64(int64(v))) // little-endian truncation fits every width
	}
	return b
}

func npWhereForward(_ *Ctx, _ any, in, out []*tensor.Tensor) error {
	return npWhere(in[0], in[1], in[2], nil, nil, out[0])
}

func npWhereLScalarForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	xs := scalarBytes(out[0].DType(), params.(*NpWhereScalarParam).Scalar)
	return npWhere(in[0], nil, in[1], xs[:], nil, out[0])
}

func npWhereRScalarForward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	ys := scalarBytes(out[0].DType(), params.(*NpWhereScalarParam).Scalar)
	return npWhere(in[0], in[1], nil, nil, ys[:], out[0])
}

func npWhereScalar2Forward(_ *Ctx, params any, in, out []*tensor.Tensor) error {
	p := params.(*NpWhereScalar2Param)
	xs, ys := scalarBytes(out[0].DType(), p.X), scalarBytes(out[0].DType(), p.Y)
	return npWhere(in[0], nil, nil, xs[:], ys[:], out[0])
}

// npWhere writes out = cond != 0 ? x : y, where x (or y) is a broadcast
// tensor or, when nil, the scalar bytes xs (ys).
func npWhere(c, xt, yt *tensor.Tensor, xs, ys []byte, y *tensor.Tensor) error {
	n := y.Len()
	if n == 0 {
		return nil
	}
	nd := y.NDim()
	var cst, xst, yst, idx dimArray
	if err := whereStrides(c, y, &cst); err != nil {
		return fmt.Errorf("where: condition %w", err)
	}
	var xb, yb []byte
	es := y.DType().Size()
	if (xt == nil && len(xs) < es) || (yt == nil && len(ys) < es) {
		return fmt.Errorf("where: missing operand")
	}
	if xt != nil {
		if xt.DType() != y.DType() {
			return fmt.Errorf("where: x is %s, output %s", xt.DType(), y.DType())
		}
		if err := whereStrides(xt, y, &xst); err != nil {
			return fmt.Errorf("where: x %w", err)
		}
		xb = xt.Bytes()
	}
	if yt != nil {
		if yt.DType() != y.DType() {
			return fmt.Errorf("where: y is %s, output %s", yt.DType(), y.DType())
		}
		if err := whereStrides(yt, y, &yst); err != nil {
			return fmt.Errorf("where: y %w", err)
		}
		yb = yt.Bytes()
	}
	ob := y.Bytes()
	ci, xi, yi := 0, 0, 0
	for i := range n {
		var src []byte
		if condAt(c, ci) {
			if xb != nil {
				src = xb[xi*es : xi*es+es]
			} else {
				src = xs
			}
		} else if yb != nil {
			src = yb[yi*es : yi*es+es]
		} else {
			src = ys
		}
		copy(ob[i*es:i*es+es], src)
		for d := nd - 1; d >= 0; d-- {
			idx[d]++
			ci += cst[d]
			xi += xst[d]
			yi += yst[d]
			if idx[d] < y.Dim(d) {
				break
			}
			ci -= cst[d] * idx[d]
			xi -= xst[d] * idx[d]
			yi -= yst[d] * idx[d]
			idx[d] = 0
		}
	}
	return nil
}

// condAt reports whether element i of a condition is non-zero.
func condAt(c *tensor.Tensor, i int) bool {
	if c.DType() == tensor.Float32 {
		return c.Float32s()[i] != 0
	}
	return c.Float64At(i) != 0
}
