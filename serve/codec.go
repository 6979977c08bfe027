package serve

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/mxgo/mxgo/tensor"
)

// datatypes maps OIP v2 datatype names to mxgo dtypes.
var datatypes = map[string]tensor.DType{
	"BOOL": tensor.Bool, "UINT8": tensor.Uint8, "UINT16": tensor.Uint16, "UINT32": tensor.Uint32,
	"UINT64": tensor.Uint64, "INT8": tensor.Int8, "INT16": tensor.Int16, "INT32": tensor.Int32,
	"INT64": tensor.Int64, "FP16": tensor.Float16, "FP32": tensor.Float32, "FP64": tensor.Float64,
	"BF16": tensor.BFloat16,
}

// datatypeName is the OIP v2 name of dt.
func datatypeName(dt tensor.DType) (string, bool) {
	for n, d := range datatypes {
		if d == dt {
			return n, true
		}
	}
	return "", false
}

func mustDatatype(dt tensor.DType) string {
	n, _ := datatypeName(dt)
	return n
}

// maxJSONDepth bounds the nesting of a JSON data array (a tensor has at
// most tensor.MaxNDim dimensions).
const maxJSONDepth = tensor.MaxNDim

// scanJSON calls fn with each scalar token of a flat or nested JSON array
// (or a lone scalar) in row-major order. raw must be one JSON value; it
// reports malformed input or nesting deeper than maxJSONDepth.
func scanJSON(raw []byte, fn func(tok []byte) error) error {
	i, err := scanValue(raw, skipWS(raw, 0), 0, fn)
	if err != nil {
		return err
	}
	if skipWS(raw, i) != len(raw) {
		return errors.New("trailing data after the array")
	}
	return nil
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

func scanValue(b []byte, i, depth int, fn func([]byte) error) (int, error) {
	if i >= len(b) {
		return i, errors.New("unexpected end of data")
	}
	if b[i] != '[' {
		j := i
		for j < len(b) && b[j] != ',' && b[j] != ']' && b[j] != '[' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
			j++
		}
		if j == i {
			return i, fmt.Errorf("unexpected %q", b[i])
		}
		return j, fn(b[i:j])
	}
	if depth >= maxJSONDepth {
		return i, fmt.Errorf("nested deeper than %d", maxJSONDepth)
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		var err error
		if i, err = scanValue(b, i, depth+1, fn); err != nil {
			return i, err
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return i, errors.New("unterminated array")
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case ']':
			return i + 1, nil
		default:
			return i, fmt.Errorf("unexpected %q in array", b[i])
		}
	}
}

// countJSON counts the scalars of a JSON data array.
func countJSON(raw []byte) (int, error) {
	n := 0
	err := scanJSON(raw, func([]byte) error { n++; return nil })
	return n, err
}

// fillJSON parses the scalars of raw into t's elements.
func fillJSON(t *tensor.Tensor, raw []byte) error {
	b := t.Bytes()
	dt := t.DType()
	size := dt.Size()
	i := 0
	return scanJSON(raw, func(tok []byte) error {
		if i >= t.Len() {
			return errors.New("more values than the shape holds")
		}
		if err := putToken(b[i*size:], dt, tok); err != nil {
			return fmt.Errorf("element %d: %w", i, err)
		}
		i++
		return nil
	})
}

// putToken writes one JSON scalar as an element of dtype dt.
func putToken(b []byte, dt tensor.DType, tok []byte) error {
	s := string(tok)
	switch dt {
	case tensor.Bool:
		switch s {
		case "true":
			b[0] = 1
		case "false":
			b[0] = 0
		default:
			return fmt.Errorf("%.20q is not a BOOL (true or false)", s)
		}
		return nil
	case tensor.Int8, tensor.Int16, tensor.Int32, tensor.Int64:
		v, err := strconv.ParseInt(s, 10, dt.Size()*8)
		if err != nil {
			return fmt.Errorf("%.20q is not an %s", s, mustDatatype(dt))
		}
		putUint(b, dt.Size(), uint64(v))
		return nil
	case tensor.Uint8, tensor.Uint16, tensor.Uint32, tensor.Uint64:
		v, err := strconv.ParseUint(s, 10, dt.Size()*8)
		if err != nil {
			return fmt.Errorf("%.20q is not a %s", s, mustDatatype(dt))
		}
		putUint(b, dt.Size(), v)
		return nil
	case tensor.Float32:
		v, err := strconv.ParseFloat(s, 32)
		if err != nil || !isNumber(s) {
			return fmt.Errorf("%.20q is not an FP32 number", s)
		}
		binary.LittleEndian.PutUint32(b, math.Float32bits(float32(v)))
		return nil
	case tensor.Float64:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !isNumber(s) {
			return fmt.Errorf("%.20q is not an FP64 number", s)
		}
		binary.LittleEndian.PutUint64(b, math.Float64bits(v))
		return nil
	case tensor.Float16, tensor.BFloat16:
		v, err := strconv.ParseFloat(s, 32)
		if err != nil || !isNumber(s) {
			return fmt.Errorf("%.20q is not an %s number", s, mustDatatype(dt))
		}
		h := uint16(tensor.ToHalf(float32(v)))
		if dt == tensor.BFloat16 {
			h = uint16(tensor.ToBF16(float32(v)))
		}
		binary.LittleEndian.PutUint16(b, h)
		return nil
	}
	return fmt.Errorf("datatype %s is not supported", mustDatatype(dt))
}

// isNumber reports whether s is a JSON number (ParseFloat also takes
// "Inf", "nan", hex and underscores, which JSON does not).
func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			return false
		}
	}
	return true
}

func putUint(b []byte, size int, v uint64) {
	switch size {
	case 1:
		b[0] = byte(v)
	case 2:
		binary.LittleEndian.PutUint16(b, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(b, uint32(v))
	default:
		binary.LittleEndian.PutUint64(b, v)
	}
}

// checkFinite reports the first NaN or ±Inf element of a floating-point
// tensor.
func checkFinite(t *tensor.Tensor) error {
	if !t.DType().IsFloat() {
		return nil
	}
	if t.DType() == tensor.Float32 {
		for i, v := range t.Float32s() {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("element %d is %v", i, v)
			}
		}
		return nil
	}
	for i := range t.Len() {
		if v := t.Float64At(i); math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("element %d is %v", i, v)
		}
	}
	return nil
}

// appendJSON appends the elements of an output as a flat JSON array.
func appendJSON(dst []byte, o *outTensor) ([]byte, error) {
	size := o.dtype.Size()
	n := len(o.data) / size
	dst = append(dst, '[')
	for i := range n {
		if i > 0 {
			dst = append(dst, ',')
		}
		b := o.data[i*size:]
		switch o.dtype {
		case tensor.Bool:
			dst = strconv.AppendBool(dst, b[0] != 0)
		case tensor.Int8:
			dst = strconv.AppendInt(dst, int64(int8(b[0])), 10)
		case tensor.Int16:
			dst = strconv.AppendInt(dst, int64(int16(binary.LittleEndian.Uint16(b))), 10)
		case tensor.Int32:
			dst = strconv.AppendInt(dst, int64(int32(binary.LittleEndian.Uint32(b))), 10)
		case tensor.Int64:
			dst = strconv.AppendInt(dst, int64(binary.LittleEndian.Uint64(b)), 10)
		case tensor.Uint8:
			dst = strconv.AppendUint(dst, uint64(b[0]), 10)
		case tensor.Uint16:
			dst = strconv.AppendUint(dst, uint64(binary.LittleEndian.Uint16(b)), 10)
		case tensor.Uint32:
			dst = strconv.AppendUint(dst, uint64(binary.LittleEndian.Uint32(b)), 10)
		case tensor.Uint64:
			dst = strconv.AppendUint(dst, binary.LittleEndian.Uint64(b), 10)
		default:
			var v float64
			bits := 32
			switch o.dtype {
			case tensor.Float32:
				v = float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
			case tensor.Float64:
				v, bits = math.Float64frombits(binary.LittleEndian.Uint64(b)), 64
			case tensor.Float16:
				v = float64(tensor.Half(binary.LittleEndian.Uint16(b)).Float32())
			case tensor.BFloat16:
				v = float64(tensor.BF16(binary.LittleEndian.Uint16(b)).Float32())
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("output %s: element %d is %v, which JSON cannot hold; request it with binary_data", o.name, i, v)
			}
			dst = strconv.AppendFloat(dst, v, 'g', -1, bits)
		}
	}
	return append(dst, ']'), nil
}
