package ops

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// This file reproduces how MXNet turns attribute strings into values: the
// dmlc::Parameter field parsers (include/dmlc/parameter.h), dmlc's own
// strtof/strtod (include/dmlc/strtonum.h), C++ stream extraction of integers
// and of dmlc::optional (include/dmlc/optional.h), and mxnet::Tuple's
// operator>> (include/mxnet/tuple.h). Each returns an error exactly where
// MXNet's parser rejects the string.

var errSyntax = errors.New("invalid syntax")

// cspace reports whether c is a C isspace character.
func cspace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// stream is a read cursor with C++ istream-like failure semantics.
type stream struct {
	s    string
	pos  int
	fail bool
}

func (st *stream) eof() bool { return st.pos >= len(st.s) }

// peek returns the next byte or -1 at the end.
func (st *stream) peek() int {
	if st.eof() {
		return -1
	}
	return int(st.s[st.pos])
}

func (st *stream) get() int {
	c := st.peek()
	if c >= 0 {
		st.pos++
	}
	return c
}

func (st *stream) skipSpace() {
	for !st.eof() && cspace(st.s[st.pos]) {
		st.pos++
	}
}

// restOnlySpace implements the check every dmlc FieldEntry does after
// extraction: only whitespace may follow.
func (st *stream) restOnlySpace() bool {
	for i := st.pos; i < len(st.s); i++ {
		if !cspace(st.s[i]) {
			return false
		}
	}
	return true
}

// readInt is `is >> x` for an integer type of the given width: leading
// space, an optional sign, at least one digit. Overflow fails. For unsigned
// types a '-' is accepted and the value wraps, as libstdc++ does.
func (st *stream) readInt(bits int, unsigned bool) int64 {
	st.skipSpace()
	neg := false
	if c := st.peek(); c == '+' || c == '-' {
		neg = c == '-'
		st.pos++
	}
	start := st.pos
	var v uint64
	over := false
	for !st.eof() && isDigit(st.s[st.pos]) {
		d := uint64(st.s[st.pos] - '0')
		if v > (math.MaxUint64-d)/10 {
			over = true
		} else {
			v = v*10 + d
		}
		st.pos++
	}
	if st.pos == start {
		st.fail = true
		return 0
	}
	if unsigned {
		limit := uint64(math.MaxUint64)
		if bits < 64 {
			limit = 1<<uint(bits) - 1
		}
		if over || v > limit {
			st.fail = true
			return 0
		}
		if neg {
			v = (-v) & limit
		}
		return int64(v)
	}
	limit := uint64(1) << uint(bits-1) // magnitude of the minimum
	if over || (!neg && v > limit-1) || (neg && v > limit) {
		st.fail = true
		return 0
	}
	if neg {
		return -int64(v)
	}
	return int64(v)
}

// readStreamFloat is `is >> double`: the longest prefix that looks like a
// decimal floating-point number, converted with correct rounding. inf and
// nan are not accepted (libstdc++ num_get rejects them).
func (st *stream) readStreamFloat() float64 {
	st.skipSpace()
	start := st.pos
	i := st.pos
	if i < len(st.s) && (st.s[i] == '+' || st.s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(st.s) && isDigit(st.s[i]) {
		i++
		digits++
	}
	if i < len(st.s) && st.s[i] == '.' {
		i++
		for i < len(st.s) && isDigit(st.s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		st.fail = true
		return 0
	}
	if i < len(st.s) && (st.s[i] == 'e' || st.s[i] == 'E') {
		j := i + 1
		if j < len(st.s) && (st.s[j] == '+' || st.s[j] == '-') {
			j++
		}
		if j < len(st.s) && isDigit(st.s[j]) {
			for j < len(st.s) && isDigit(st.s[j]) {
				j++
			}
			i = j
		} else {
			// libstdc++ consumes the dangling exponent marker and fails.
			st.pos = j
			st.fail = true
			return 0
		}
	}
	v, err := strconv.ParseFloat(st.s[start:i], 64)
	st.pos = i
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		st.fail = true
		return 0
	}
	if math.IsInf(v, 0) {
		st.fail = true // out of range
		return 0
	}
	return v
}

// readNone implements the "None" probe of dmlc::optional's operator>>: it
// consumes exactly "None" and reports true, or leaves the stream untouched.
func (st *stream) readNone() bool {
	if strings.HasPrefix(st.s[st.pos:], "None") {
		st.pos += 4
		return true
	}
	return false
}

// parseBoolAttr is dmlc's FieldEntry<bool>: case-insensitive true/false/1/0,
// nothing else (not even surrounding space).
func parseBoolAttr(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, errSyntax
}

// parseIntAttr is FieldEntry<int-like>: stream extraction, then only space.
func parseIntAttr(s string, bits int, unsigned bool) (int64, error) {
	st := stream{s: s}
	v := st.readInt(bits, unsigned)
	if st.fail || !st.restOnlySpace() {
		return 0, errSyntax
	}
	return v, nil
}

// errFloatRange is returned by dmlcParseFloat for values out of range.
var errFloatRange = errors.New("out of range value")

// dmlcParseFloat reproduces dmlc::stof (single=true) and dmlc::stod: dmlc's
// own fast decimal parser, including its rounding (it is not correctly
// rounded in every case, and MXNet's parameters get exactly its result).
// Trailing characters, including space, are an error.
func dmlcParseFloat(s string, single bool) (float64, error) {
	p := 0
	at := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	for p < len(s) && (s[p] == ' ' || s[p] == '\t' || s[p] == '\r' || s[p] == '\n' || s[p] == '\f') {
		p++
	}
	sign := true
	if at(p) == '-' {
		sign = false
		p++
	} else if at(p) == '+' {
		p++
	}
	start := 0
	finish := func(v float64, end int) (float64, error) {
		if end == start {
			return 0, errSyntax // "No conversion could be performed"
		}
		if end < len(s) {
			return 0, errSyntax // "Some trailing characters could not be parsed"
		}
		return v, nil
	}
	// inf / infinity / nan, case-insensitive.
	{
		i := 0
		for i < 8 && at(p+i)|32 == "infinity"[i] {
			i++
		}
		if i == 3 || i == 8 {
			if sign {
				return finish(math.Inf(1), p+i)
			}
			return finish(math.Inf(-1), p+i)
		}
		i = 0
		for i < 3 && at(p+i)|32 == "nan"[i] {
			i++
		}
		if i == 3 {
			q := p + 3
			if at(q) == '(' {
				q++
				for isDigit(at(q)) || (at(q)|32 >= 'a' && at(q)|32 <= 'z') || at(q) == '_' {
					q++
				}
				if at(q) != ')' {
					return 0, errSyntax // CHECK failure "Invalid NAN literal"
				}
				q++
			}
			return finish(math.NaN(), q)
		}
	}
	maxExp := uint32(308)
	maxSig, minSig := 1.79769313486231570, 2.22507385850720139
	if single {
		maxExp = 38
		maxSig, minSig = float64(float32(3.402823466)), float64(float32(1.175494351))
	}
	// round narrows to the working type (float or double).
	round := func(v float64) float64 {
		if single {
			return float64(float32(v))
		}
		return v
	}
	var predec uint64
	for isDigit(at(p)) {
		predec = predec*10 + uint64(at(p)-'0') // wraps like uint64_t
		p++
	}
	var value float64
	if single {
		value = float64(float32(predec))
	} else {
		value = float64(predec)
	}
	if at(p) == '.' {
		var pow10, val2 uint64 = 1, 0
		n := 0
		p++
		for isDigit(at(p)) {
			if n < 19 {
				val2 = val2*10 + uint64(at(p)-'0')
				pow10 *= 10
			}
			p++
			n++
		}
		frac := float64(val2) / float64(pow10)
		if single {
			value = float64(float32(value) + float32(frac))
		} else {
			value += frac
		}
	}
	if at(p) == 'e' || at(p) == 'E' {
		p++
		neg := false
		if at(p) == '-' {
			neg = true
			p++
		} else if at(p) == '+' {
			p++
		}
		var expon uint32
		for isDigit(at(p)) {
			expon = expon*10 + uint32(at(p)-'0')
			p++
		}
		if expon > maxExp {
			return 0, errFloatRange
		}
		if expon == maxExp && ((!neg && value > maxSig) || (neg && value < minSig)) {
			return 0, errFloatRange
		}
		scale := 1.0
		for expon >= 8 {
			scale = round(scale * 1e8)
			expon -= 8
		}
		for expon > 0 {
			scale = round(scale * 10)
			expon--
		}
		if neg {
			value = round(value / scale)
		} else {
			value = round(value * scale)
		}
	}
	if at(p) == 'f' || at(p) == 'F' {
		p++
	}
	if !sign {
		value = -value
	}
	return finish(value, p)
}

// parseOptionalBool is dmlc's operator>> for optional<bool> followed by the
// FieldEntry trailing-space check.
func parseOptionalBool(s string) (v, set bool, err error) {
	st := stream{s: s}
	st.skipSpace()
	start := st.pos
	for !st.eof() && isAlnum(st.s[st.pos]) {
		st.pos++
	}
	switch strings.ToLower(s[start:st.pos]) {
	case "1", "true":
		v, set = true, true
	case "0", "false":
		v, set = false, true
	case "none":
	default:
		return false, false, errSyntax
	}
	if !st.restOnlySpace() {
		return false, false, errSyntax
	}
	return v, set, nil
}

func isAlnum(c byte) bool {
	return isDigit(c) || (c|32 >= 'a' && c|32 <= 'z')
}

// tupleElem reads one tuple element from st (one `is >> idx`).
type tupleElem func(st *stream) (intElem int64, optSet bool)

// parseTuple is mxnet::Tuple's operator>>. It returns known=false for the
// literal None (an unknown shape, ndim -1). integral reports whether the
// element type is an integer (a trailing L is then skipped).
func parseTuple(st *stream, read tupleElem, integral bool) (vals []int64, sets []bool, known bool) {
	for {
		c := st.peek()
		if c < 0 {
			st.fail = true
			return nil, nil, false
		}
		if isDigit(byte(c)) || c == '-' {
			v, set := read(st)
			if st.fail {
				return nil, nil, false
			}
			return []int64{v}, []bool{set}, true
		}
		st.get()
		if c == '(' || c == '[' {
			break
		}
		if !cspace(byte(c)) {
			if c == 'N' {
				// is >> std::string: the next whitespace-delimited word.
				st.skipSpace()
				w := st.pos
				for !st.eof() && !cspace(st.s[st.pos]) {
					st.pos++
				}
				if st.s[w:st.pos] == "one" {
					return nil, nil, false
				}
			}
			st.fail = true
			return nil, nil, false
		}
	}
	st.skipSpace()
	if c := st.peek(); c == ')' || c == ']' {
		st.get()
		return []int64{}, []bool{}, true
	}
	vals, sets = []int64{}, []bool{}
	for {
		v, set := read(st)
		if st.fail {
			return nil, nil, false
		}
		vals = append(vals, v)
		sets = append(sets, set)
		c := st.get()
		for c >= 0 && cspace(byte(c)) {
			c = st.get()
		}
		if integral && c == 'L' {
			c = st.get()
		}
		if c == ',' {
			for {
				c = st.peek()
				if c >= 0 && cspace(byte(c)) {
					st.get()
					continue
				}
				break
			}
			if c == ')' || c == ']' {
				st.get()
				break
			}
			continue
		}
		if c == ')' || c == ']' {
			break
		}
		st.fail = true
		return nil, nil, false
	}
	return vals, sets, true
}

// readPlainInt returns a tupleElem reading a plain integer of the width.
func readPlainInt(bits int) tupleElem {
	return func(st *stream) (int64, bool) { return st.readInt(bits, false), true }
}

// readOptionalInt is operator>> for optional<int>: "None" or an integer
// with an optional trailing L.
func readOptionalInt(st *stream) (int64, bool) {
	if st.readNone() {
		return 0, false
	}
	v := st.readInt(32, false)
	if !st.fail && st.peek() == 'L' {
		st.get()
	}
	return v, true
}

// ParseShape parses an MXNet shape string such as "(3, 224, 224)", "[2]",
// "3" or "()" with the rules of mxnet::TShape's operator>>. It returns nil
// for "None" (an unknown shape) and an error for anything MXNet rejects.
func ParseShape(s string) ([]int, error) {
	st := stream{s: s}
	vals, _, known := parseTuple(&st, readPlainInt(64), true)
	if st.fail || !st.restOnlySpace() {
		return nil, errSyntax
	}
	if !known {
		return nil, nil
	}
	out := make([]int, len(vals))
	for i, v := range vals {
		out[i] = int(v)
	}
	return out, nil
}
