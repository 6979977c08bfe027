package serialize

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/tensor"
)

// npyHeader is the parsed dict of a .npy header.
type npyHeader struct {
	dtype     tensor.DType
	bigEndian bool
	fortran   bool
	shape     []int
}

// npyDescr maps a dtype to the descr numpy (and MXNet 2.0) writes.
var npyDescr = [tensor.NumDTypes]string{
	tensor.Float32: "<f4", tensor.Float64: "<f8", tensor.Float16: "<f2",
	tensor.Uint8: "|u1", tensor.Int32: "<i4", tensor.Int8: "|i1", tensor.Int64: "<i8",
	tensor.Bool: "|b1", tensor.Int16: "<i2", tensor.Uint16: "<u2", tensor.Uint32: "<u4",
	tensor.Uint64: "<u8", tensor.BFloat16: "<b2",
}

// parseDescr maps a numpy type string ("<f4", "|u1", ">i8", "<b2") to a dtype.
func parseDescr(s string) (tensor.DType, bool, error) {
	if len(s) < 3 {
		return 0, false, fmt.Errorf("unsupported descr %s", quote.String(s))
	}
	big := false
	switch s[0] {
	case '<', '|', '=':
	case '>':
		big = true
	default:
		return 0, false, fmt.Errorf("unsupported descr %s", quote.String(s))
	}
	body := s[1:]
	for dt, d := range npyDescr {
		if d[1:] == body {
			if tensor.DType(dt).Size() == 1 {
				big = false
			}
			return tensor.DType(dt), big, nil
		}
	}
	return 0, false, fmt.Errorf("unsupported descr %s (want a float, int, uint or bool type)", quote.String(s))
}

// pyLexer tokenizes the Python literal numpy writes as the header dict.
type pyLexer struct {
	s   string
	pos int
}

func (l *pyLexer) skip() {
	for l.pos < len(l.s) && strings.IndexByte(" \t\r\n", l.s[l.pos]) >= 0 {
		l.pos++
	}
}

func (l *pyLexer) expect(c byte) error {
	l.skip()
	if l.pos >= len(l.s) || l.s[l.pos] != c {
		return fmt.Errorf("expected %q at header byte %d", c, l.pos)
	}
	l.pos++
	return nil
}

func (l *pyLexer) peek() byte {
	l.skip()
	if l.pos >= len(l.s) {
		return 0
	}
	return l.s[l.pos]
}

func (l *pyLexer) str() (string, error) {
	l.skip()
	if l.pos >= len(l.s) || (l.s[l.pos] != '\'' && l.s[l.pos] != '"') {
		return "", fmt.Errorf("expected a string at header byte %d", l.pos)
	}
	q := l.s[l.pos]
	end := strings.IndexByte(l.s[l.pos+1:], q)
	if end < 0 {
		return "", fmt.Errorf("unterminated string at header byte %d", l.pos)
	}
	v := l.s[l.pos+1 : l.pos+1+end]
	l.pos += end + 2
	return v, nil
}

func (l *pyLexer) word() string {
	l.skip()
	start := l.pos
	for l.pos < len(l.s) {
		c := l.s[l.pos]
		if c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			l.pos++
			continue
		}
		break
	}
	return l.s[start:l.pos]
}

func (l *pyLexer) tuple() ([]int, error) {
	if err := l.expect('('); err != nil {
		return nil, err
	}
	shape := []int{}
	for l.peek() != ')' {
		w := l.word()
		w = strings.TrimSuffix(w, "L") // Python 2 longs
		v, err := strconv.ParseInt(w, 10, 64)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("bad shape entry %s", quote.String(w))
		}
		if len(shape) == tensor.MaxNDim {
			return nil, fmt.Errorf("shape has more than %d dims", tensor.MaxNDim)
		}
		shape = append(shape, int(v))
		if l.peek() == ',' {
			l.pos++
		} else if l.peek() != ')' {
			return nil, fmt.Errorf("expected ',' or ')' at header byte %d", l.pos)
		}
	}
	l.pos++
	return shape, nil
}

// parseNPYHeader parses numpy's header dict
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.
func parseNPYHeader(s string) (*npyHeader, error) {
	l := &pyLexer{s: s}
	if err := l.expect('{'); err != nil {
		return nil, err
	}
	h := &npyHeader{}
	seen := map[string]bool{}
	for l.peek() != '}' {
		key, err := l.str()
		if err != nil {
			return nil, err
		}
		if err := l.expect(':'); err != nil {
			return nil, err
		}
		switch key {
		case "descr":
			if l.peek() == '[' {
				return nil, fmt.Errorf("structured dtypes are not supported")
			}
			d, err := l.str()
			if err != nil {
				return nil, err
			}
			if h.dtype, h.bigEndian, err = parseDescr(d); err != nil {
				return nil, err
			}
		case "fortran_order":
			switch w := l.word(); w {
			case "True":
				h.fortran = true
			case "False":
			default:
				return nil, fmt.Errorf("fortran_order is %s", quote.String(w))
			}
		case "shape":
			if h.shape, err = l.tuple(); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unexpected header key %s", quote.String(key))
		}
		seen[key] = true
		if l.peek() == ',' {
			l.pos++
		} else if l.peek() != '}' {
			return nil, fmt.Errorf("expected ',' or '}' at header byte %d", l.pos)
		}
	}
	l.pos++
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return nil, fmt.Errorf("header lacks %q", k)
		}
	}
	if rest := strings.TrimRight(s[l.pos:], " \n\x00"); rest != "" {
		return nil, fmt.Errorf("junk after the header dict: %s", quote.String(rest))
	}
	return h, nil
}

// npyStyle selects whose header padding to reproduce.
type npyStyle int

const (
	// styleNumPy pads as numpy ≥ 1.22 np.save does (spare room for the
	// first axis to grow to 21 digits, then align to 64).
	styleNumPy npyStyle = iota
	// styleMXNet pads as MXNet 2.0's cnpy writer (align to 64 only).
	styleMXNet
)

// npyHeaderBytes returns the magic, version, length and padded dict for an
// array of dtype dt and shape (C order, little-endian).
func npyHeaderBytes(dt tensor.DType, shape []int, style npyStyle) ([]byte, error) {
	if !dt.Valid() {
		return nil, fmt.Errorf("npy: invalid dtype flag %d", int32(dt))
	}
	var sb strings.Builder
	sb.WriteString("{'descr': '")
	sb.WriteString(npyDescr[dt])
	sb.WriteString("', 'fortran_order': False, 'shape': (")
	for i, d := range shape {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		sb.WriteByte(',')
	}
	sb.WriteString("), }")
	if style == styleNumPy && len(shape) > 0 {
		if pad := 21 - len(strconv.Itoa(shape[0])); pad > 0 {
			sb.WriteString(strings.Repeat(" ", pad))
		}
	}
	dict := sb.String()
	hlen := len(dict) + 1 // the final '\n'
	prefix := 10
	pad := 64 - (prefix+hlen)%64
	if hlen+pad > 65535 {
		prefix = 12
		pad = 64 - (prefix+hlen)%64
	}
	out := make([]byte, 0, prefix+hlen+pad)
	out = append(out, "\x93NUMPY"...)
	if prefix == 10 {
		out = append(out, 1, 0, byte(hlen+pad), byte((hlen+pad)>>8))
	} else {
		n := hlen + pad
		out = append(out, 2, 0, byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
	}
	out = append(out, dict...)
	for i := 0; i < pad; i++ {
		out = append(out, ' ')
	}
	return append(out, '\n'), nil
}
