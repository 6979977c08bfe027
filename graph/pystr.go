package graph

import (
	"math"
	"strconv"
	"strings"
)

// PyFloat formats f as Python's str(float) / repr(float) does: the
// shortest round-trip digits, positional with at least one decimal
// ("1.0", "0.0001", "123.5") when the decimal exponent is in [-4, 16),
// scientific otherwise ("1e-05", "1e+16", "1.5e+300"); "inf", "-inf",
// "nan".
func PyFloat(f float64) string { return pyFloat(f, 64) }

// PyFloat32 is PyFloat for a float32 value, printed with the shortest
// digits that round-trip through float32 (as str(numpy.float32(x))).
func PyFloat32(f float32) string { return pyFloat(float64(f), 32) }

func pyFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(f, 'e', -1, bits) // d.ddde±XX
	mant, exp, _ := strings.Cut(e, "e")
	x, _ := strconv.Atoi(exp)
	neg := strings.HasPrefix(mant, "-")
	mant = strings.TrimPrefix(mant, "-")
	digits := strings.Replace(mant, ".", "", 1)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if x < -4 || x >= 16 {
		b.WriteString(digits[:1])
		if len(digits) > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('e')
		if x < 0 {
			b.WriteByte('-')
			x = -x
		} else {
			b.WriteByte('+')
		}
		if x < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(x))
		return b.String()
	}
	if x < 0 {
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -x-1))
		b.WriteString(digits)
		return b.String()
	}
	if len(digits) <= x+1 {
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", x+1-len(digits)))
		b.WriteString(".0")
		return b.String()
	}
	b.WriteString(digits[:x+1])
	b.WriteByte('.')
	b.WriteString(digits[x+1:])
	return b.String()
}

// PyTuple formats dims as Python's str(tuple): "(2,)", "(3, 224, 224)",
// "()".
func PyTuple(dims []int) string {
	if len(dims) == 1 {
		return "(" + strconv.Itoa(dims[0]) + ",)"
	}
	return "(" + joinInts(dims, ", ") + ")"
}

// PyList formats dims as Python's str(list): "[2]", "[3, 224, 224]".
func PyList(dims []int) string { return "[" + joinInts(dims, ", ") + "]" }

func joinInts(dims []int, sep string) string {
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, sep)
}

// PyBool formats b as Python's str(bool): "True" or "False".
func PyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}
