package graph

import (
	"fmt"
	"strconv"
)

// The arithmetic methods build what Python's Symbol operators build, with
// the Default builder: a+b is _Plus (node _plus0, op elemwise_add), a+2 is
// _PlusScalar (node _plusscalar0, op _plus_scalar), -a is a*-1.0, and so on
// [python/mxnet/symbol/symbol.py].

func (s *Symbol) binary(op string, o *Symbol) (*Symbol, error) {
	return Default.Apply(op, Call{Inputs: []*Symbol{s, o}})
}

// scalar applies a tensor-scalar op with scalar printed as Python's str()
// prints the number: ints as "2", floats as "2.0" or "1e-05".
func (s *Symbol) scalar(op string, v any) (*Symbol, error) {
	str, err := ScalarString(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return Default.Apply(op, Call{Inputs: []*Symbol{s}, Attrs: map[string]string{"scalar": str}})
}

// ScalarString prints a Go number as Python's str() prints it: int types
// in decimal, float64 like PyFloat, float32 like PyFloat32.
func ScalarString(v any) (string, error) {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return PyFloat(x), nil
	case float32:
		return PyFloat32(x), nil
	}
	return "", fmt.Errorf("scalar of type %T is not supported", v)
}

// Add is s + o (elemwise_add, no broadcasting).
func (s *Symbol) Add(o *Symbol) (*Symbol, error) { return s.binary("_Plus", o) }

// Sub is s - o (elemwise_sub).
func (s *Symbol) Sub(o *Symbol) (*Symbol, error) { return s.binary("_Minus", o) }

// Mul is s * o (elemwise_mul).
func (s *Symbol) Mul(o *Symbol) (*Symbol, error) { return s.binary("_Mul", o) }

// Div is s / o (elemwise_div).
func (s *Symbol) Div(o *Symbol) (*Symbol, error) { return s.binary("_Div", o) }

// Pow is s ** o (_power).
func (s *Symbol) Pow(o *Symbol) (*Symbol, error) { return s.binary("_Power", o) }

// AddScalar is s + v (_plus_scalar); v is an int or float type.
func (s *Symbol) AddScalar(v any) (*Symbol, error) { return s.scalar("_PlusScalar", v) }

// SubScalar is s - v (_minus_scalar).
func (s *Symbol) SubScalar(v any) (*Symbol, error) { return s.scalar("_MinusScalar", v) }

// RSubScalar is v - s (_rminus_scalar).
func (s *Symbol) RSubScalar(v any) (*Symbol, error) { return s.scalar("_RMinusScalar", v) }

// MulScalar is s * v (_mul_scalar).
func (s *Symbol) MulScalar(v any) (*Symbol, error) { return s.scalar("_MulScalar", v) }

// DivScalar is s / v (_div_scalar).
func (s *Symbol) DivScalar(v any) (*Symbol, error) { return s.scalar("_DivScalar", v) }

// RDivScalar is v / s (_rdiv_scalar).
func (s *Symbol) RDivScalar(v any) (*Symbol, error) { return s.scalar("_RDivScalar", v) }

// PowScalar is s ** v (_power_scalar).
func (s *Symbol) PowScalar(v any) (*Symbol, error) { return s.scalar("_PowerScalar", v) }

// RPowScalar is v ** s (_rpower_scalar; Python's hint is _rpower_scalar).
func (s *Symbol) RPowScalar(v any) (*Symbol, error) { return s.scalar("_rpower_scalar", v) }

// Neg is -s, which Python builds as s * -1.0 (_mul_scalar).
func (s *Symbol) Neg() (*Symbol, error) { return s.MulScalar(-1.0) }
