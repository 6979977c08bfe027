package serialize

import (
	"fmt"
	"math"
	"strings"
)

// jsonReader is a cursor over symbol JSON with the rules of dmlc's
// JSONReader [dmlc-core include/dmlc/json.h]: whitespace is C isspace,
// strings allow only the escapes \r \n \\ \t \", a raw CR or LF inside a
// string is an error, other bytes (control characters, UTF-8) are taken
// as they are, and numbers are read like C++ stream extraction. Unlike
// dmlc it treats an unexpected end of input as an error everywhere.
type jsonReader struct {
	data []byte
	pos  int
	// scopes counts the items read in each open array or object.
	scopes []int
	// keyPos is the offset of the last object key read.
	keyPos int
	// lim bounds strings and nodes; nodes counts the nodes read so far
	// (subgraphs included).
	lim   *Limits
	nodes int
}

// syntaxError reports a problem at the current offset.
func (r *jsonReader) errorf(format string, args ...any) error {
	return &SymbolError{Offset: r.pos, Node: -1, Err: fmt.Errorf(format, args...)}
}

func isCSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

func (r *jsonReader) skipSpace() {
	for r.pos < len(r.data) && isCSpace(r.data[r.pos]) {
		r.pos++
	}
}

// peek returns the next non-space byte without consuming it (-1 at end).
func (r *jsonReader) peek() int {
	r.skipSpace()
	if r.pos >= len(r.data) {
		return -1
	}
	return int(r.data[r.pos])
}

func describe(c int) string {
	if c < 0 {
		return "end of input"
	}
	return fmt.Sprintf("%q", rune(c))
}

// expect consumes the next non-space byte, which must be c.
func (r *jsonReader) expect(c byte) error {
	if got := r.peek(); got != int(c) {
		return r.errorf("expect %q but got %s", c, describe(got))
	}
	r.pos++
	return nil
}

// readString reads a JSON string with dmlc's five escapes.
func (r *jsonReader) readString() (string, error) {
	if err := r.expect('"'); err != nil {
		return "", err
	}
	var b strings.Builder
	start := r.pos
	for {
		if r.pos >= len(r.data) {
			return "", r.errorf("unterminated string starting at offset %d", start)
		}
		if b.Len() > r.maxString() {
			r.pos = start - 1
			return "", r.errorf("string longer than %d bytes (Limits.MaxAttrBytes)", r.maxString())
		}
		c := r.data[r.pos]
		r.pos++
		switch c {
		case '"':
			return b.String(), nil
		case '\r', '\n':
			r.pos--
			return "", r.errorf("raw line break inside a string")
		case '\\':
			if r.pos >= len(r.data) {
				return "", r.errorf("unterminated string starting at offset %d", start)
			}
			e := r.data[r.pos]
			r.pos++
			switch e {
			case 'r':
				b.WriteByte('\r')
			case 'n':
				b.WriteByte('\n')
			case '\\':
				b.WriteByte('\\')
			case 't':
				b.WriteByte('\t')
			case '"':
				b.WriteByte('"')
			default:
				r.pos -= 2
				return "", r.errorf("unknown string escape \\%c", e)
			}
		default:
			b.WriteByte(c)
		}
	}
}

// maxString is the longest string the reader accepts anywhere.
func (r *jsonReader) maxString() int {
	return max(r.lim.MaxAttrBytes, r.lim.MaxNameBytes)
}

// readInt reads an integer like `is >> x` (leading space, optional sign,
// digits) and checks it fits [lo, hi].
func (r *jsonReader) readInt(lo, hi int64, what string) (int64, error) {
	r.skipSpace()
	start := r.pos
	neg := false
	if r.pos < len(r.data) && (r.data[r.pos] == '-' || r.data[r.pos] == '+') {
		neg = r.data[r.pos] == '-'
		r.pos++
	}
	var v int64
	digits := 0
	for r.pos < len(r.data) && r.data[r.pos] >= '0' && r.data[r.pos] <= '9' {
		if v > (math.MaxInt64-9)/10 {
			r.pos = start
			return 0, r.errorf("%s out of range", what)
		}
		v = v*10 + int64(r.data[r.pos]-'0')
		r.pos++
		digits++
	}
	if digits == 0 {
		r.pos = start
		return 0, r.errorf("expect a number for %s but got %s", what, describe(r.peek()))
	}
	if neg {
		v = -v
	}
	if v < lo || v > hi {
		r.pos = start
		return 0, r.errorf("%s %d out of range [%d, %d]", what, v, lo, hi)
	}
	return v, nil
}

// readUint32 reads a u32 (node ids, output indices, versions).
func (r *jsonReader) readUint32(what string) (int, error) {
	v, err := r.readInt(0, math.MaxUint32, what)
	return int(v), err
}

// beginArray / beginObject open a scope.
func (r *jsonReader) beginArray() error {
	if err := r.expect('['); err != nil {
		return err
	}
	r.scopes = append(r.scopes, 0)
	return nil
}

func (r *jsonReader) beginObject() error {
	if err := r.expect('{'); err != nil {
		return err
	}
	r.scopes = append(r.scopes, 0)
	return nil
}

// next moves to the next item of the innermost scope, closed by end
// (']' or '}'); it reports false when the scope is closed.
func (r *jsonReader) next(end byte) (bool, error) {
	top := len(r.scopes) - 1
	c := r.peek()
	if r.scopes[top] == 0 {
		if c == int(end) {
			r.pos++
			r.scopes = r.scopes[:top]
			return false, nil
		}
	} else {
		switch c {
		case int(end):
			r.pos++
			r.scopes = r.scopes[:top]
			return false, nil
		case ',':
			r.pos++
		default:
			return false, r.errorf("expect ',' or '%c' but got %s", end, describe(c))
		}
	}
	r.scopes[top]++
	return true, nil
}

// nextArrayItem moves to the next array item.
func (r *jsonReader) nextArrayItem() (bool, error) { return r.next(']') }

// nextKey moves to the next object member and returns its key.
func (r *jsonReader) nextKey() (string, bool, error) {
	ok, err := r.next('}')
	if !ok || err != nil {
		return "", false, err
	}
	r.skipSpace()
	r.keyPos = r.pos
	k, err := r.readString()
	if err != nil {
		return "", false, err
	}
	return k, true, r.expect(':')
}

// readStringMap reads an object of string values.
func (r *jsonReader) readStringMap() (map[string]string, error) {
	m := map[string]string{}
	if err := r.beginObject(); err != nil {
		return nil, err
	}
	for {
		k, ok, err := r.nextKey()
		if err != nil {
			return nil, err
		}
		if !ok {
			return m, nil
		}
		if m[k], err = r.readString(); err != nil {
			return nil, err
		}
	}
}

// readArray reads a JSON array whose items item reads.
func readArray[T any](r *jsonReader, item func() (T, error)) ([]T, error) {
	return readArrayMax(r, -1, "", item)
}

// readArrayMax is readArray failing once the array has more than limit
// items (limit < 0: no limit); what names the limit in the error.
func readArrayMax[T any](r *jsonReader, limit int, what string, item func() (T, error)) ([]T, error) {
	if err := r.beginArray(); err != nil {
		return nil, err
	}
	var out []T
	for {
		ok, err := r.nextArrayItem()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		if limit >= 0 && len(out) == limit {
			return nil, r.errorf("more than %d %s", limit, what)
		}
		v, err := item()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// jsonEntry is an input or head entry [node_id, index(, version)].
type jsonEntry struct {
	node, index, version int
	offset               int
}

// readEntry reads a 2- or 3-element entry (missing version = 0).
func (r *jsonReader) readEntry() (jsonEntry, error) {
	e := jsonEntry{offset: r.pos}
	if err := r.beginArray(); err != nil {
		return e, err
	}
	fields := []*int{&e.node, &e.index, &e.version}
	names := []string{"node id", "output index", "version"}
	for i := 0; ; i++ {
		ok, err := r.nextArrayItem()
		if err != nil {
			return e, err
		}
		if !ok {
			if i < 2 {
				return e, r.errorf("entry has %d elements, want 2 or 3", i)
			}
			return e, nil
		}
		if i == 3 {
			return e, r.errorf("entry has more than 3 elements")
		}
		if *fields[i], err = r.readUint32(names[i]); err != nil {
			return e, err
		}
	}
}
