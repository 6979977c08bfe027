package ops

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/mxgo/mxgo/tensor"
)

// Optional is dmlc::optional<T>: Set is false when the attribute was the
// literal None (or absent with a None default).
type Optional[T any] struct {
	Value T
	Set   bool
}

// Some returns a set Optional holding v.
func Some[T any](v T) Optional[T] { return Optional[T]{Value: v, Set: true} }

// Get returns the value, or def when the optional is None.
func (o Optional[T]) Get(def T) T {
	if o.Set {
		return o.Value
	}
	return def
}

func (o Optional[T]) optionalElem() reflect.Type { return reflect.TypeFor[T]() }

type optionalField interface{ optionalElem() reflect.Type }

// ParamField describes one declared operator parameter (for documentation,
// error messages and tools).
type ParamField struct {
	Name     string   // attribute key, e.g. "num_hidden"
	Type     string   // MXNet-style type description, e.g. "int (non-negative)"
	Default  string   // default as an attribute string; "" when Required
	Required bool     // the attribute must be present
	Enum     []string // allowed names for enum parameters, in value order
}

// Params declares an operator's parameters once, as a struct type whose
// fields carry tags, and parses MXNet attribute dictionaries into it:
//
//	type fcParam struct {
//		NumHidden int  `mx:"num_hidden" required:"" min:"1"`
//		NoBias    bool `mx:"no_bias"`
//		Flatten   bool `mx:"flatten" default:"true"`
//	}
//	var fcParams = ops.NewParams[fcParam]()
//
// Supported field types and the dmlc::Parameter rule each follows:
// bool (case-insensitive true/false/1/0); int, int32, int64, uint32,
// uint64 (C++ stream extraction, the int width of the C++ field; use int for
// C int); float32 and float64 (dmlc::stof/stod, with inf and nan); string
// or any int-kinded type with an enum tag (exact name; int value = position
// in the list, or the dtype flag for tensor.DType); []int (mxnet::Tuple or
// TShape: "(a, b)", "[a,b]", a bare number, "()", "None" ⇒ nil);
// []Optional[int] (Tuple<optional<int>>); and Optional[T] of any of these
// (the literal None ⇒ unset).
//
// Fields of embedded structs are declared too, so ops can share a group
// of parameters. Tags: mx (the key, required), default (an attribute string parsed with
// the field's own rules; absent ⇒ the Go zero value), required (present ⇒
// the key must be given), enum (comma-separated names, each optionally name=value), min and max
// (inclusive numeric bounds, like set_range/set_lower_bound).
//
// Keys that look hidden (__x__, longer than 4 characters) are skipped;
// any other unknown key is an error, as are missing required keys, values
// that do not parse and values out of range.
type Params[T any] struct {
	once   sync.Once
	fields []paramField
	err    error
}

type paramField struct {
	ParamField
	index    []int // field index path (embedded structs share fields)
	kind     fieldKind
	bits     int
	unsigned bool
	enumVals []int64
	min, max *float64
	def      *reflect.Value // parsed default (nil: zero value)
}

type fieldKind int

const (
	kBool fieldKind = iota
	kInt
	kFloat
	kEnum
	kTuple
	kOptTuple // []Optional[int]
)

// NewParams builds the parser for T. It panics if T's tags are malformed:
// declarations happen at package initialization, so that is a programming
// error.
func NewParams[T any]() *Params[T] {
	p := &Params[T]{}
	p.init()
	if p.err != nil {
		panic(p.err)
	}
	return p
}

func (p *Params[T]) init() {
	p.once.Do(func() {
		t := reflect.TypeFor[T]()
		for _, sf := range reflect.VisibleFields(t) {
			key := sf.Tag.Get("mx")
			if key == "" {
				continue
			}
			f, err := declareField(sf, key)
			if err != nil {
				p.err = fmt.Errorf("ops: %s.%s: %w", t.Name(), sf.Name, err)
				return
			}
			f.index = sf.Index
			p.fields = append(p.fields, f)
		}
	})
}

func declareField(sf reflect.StructField, key string) (paramField, error) {
	f := paramField{ParamField: ParamField{Name: key}}
	_, f.Required = sf.Tag.Lookup("required")
	ft := sf.Type
	optional := false
	if ft.Implements(reflect.TypeFor[optionalField]()) {
		optional = true
		ft = reflect.Zero(ft).Interface().(optionalField).optionalElem()
	}
	if e, ok := sf.Tag.Lookup("enum"); ok {
		f.kind = kEnum
		f.Enum = strings.Split(e, ",")
		for i, name := range f.Enum {
			var v int64
			if n, val, ok := strings.Cut(name, "="); ok {
				// an explicit value: "NHWC=4"
				x, err := strconv.ParseInt(val, 10, 64)
				if err != nil || ft.Kind() < reflect.Int || ft.Kind() > reflect.Int64 {
					return f, fmt.Errorf("bad enum entry %q", name)
				}
				f.Enum[i] = n
				f.enumVals = append(f.enumVals, x)
				continue
			}
			switch {
			case ft == reflect.TypeFor[tensor.DType](): // not a package variable: NewParams may run in another file's var initializer before it is set
				dt, err := tensor.ParseDType(name)
				if err != nil {
					return f, err
				}
				v = int64(dt)
			case ft.Kind() == reflect.String:
			case ft.Kind() >= reflect.Int && ft.Kind() <= reflect.Int64:
				v = int64(len(f.enumVals))
			default:
				return f, fmt.Errorf("enum on %s", ft)
			}
			f.enumVals = append(f.enumVals, v)
		}
		f.Type = "{" + quoteJoin(f.Enum) + "}"
	} else {
		switch ft.Kind() {
		case reflect.Bool:
			f.kind, f.Type = kBool, "boolean"
		case reflect.Int, reflect.Int32:
			f.kind, f.bits, f.Type = kInt, 32, "int"
		case reflect.Int64:
			f.kind, f.bits, f.Type = kInt, 64, "long"
		case reflect.Uint32:
			f.kind, f.bits, f.unsigned, f.Type = kInt, 32, true, "int (non-negative)"
		case reflect.Uint64:
			f.kind, f.bits, f.unsigned, f.Type = kInt, 64, true, "long (non-negative)"
		case reflect.Float32:
			f.kind, f.bits, f.Type = kFloat, 32, "float"
		case reflect.Float64:
			f.kind, f.bits, f.Type = kFloat, 64, "double"
		case reflect.Slice:
			switch ft.Elem() {
			case reflect.TypeFor[int]():
				f.kind, f.Type = kTuple, "Shape(tuple)"
			case reflect.TypeFor[Optional[int]]():
				f.kind, f.Type = kOptTuple, "Shape(tuple)"
			default:
				return f, fmt.Errorf("unsupported slice %s", ft)
			}
		default:
			return f, fmt.Errorf("unsupported type %s", ft)
		}
	}
	if optional {
		f.Type += " or None"
	}
	for _, b := range []struct {
		tag string
		dst **float64
	}{{"min", &f.min}, {"max", &f.max}} {
		if s, ok := sf.Tag.Lookup(b.tag); ok {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return f, fmt.Errorf("bad %s tag %q", b.tag, s)
			}
			*b.dst = &v
		}
	}
	if d, ok := sf.Tag.Lookup("default"); ok {
		if f.Required {
			return f, fmt.Errorf("required field with a default")
		}
		f.Default = d
		v := reflect.New(sf.Type).Elem()
		if err := f.set(v, d); err != nil {
			return f, fmt.Errorf("bad default %q: %w", d, err)
		}
		f.def = &v
	} else if !f.Required {
		f.Default = defaultString(sf.Type, optional)
	}
	return f, nil
}

func defaultString(t reflect.Type, optional bool) string {
	switch {
	case optional:
		return "None"
	case t.Kind() == reflect.Bool:
		return "false"
	case t.Kind() == reflect.Slice:
		return "[]"
	case t.Kind() == reflect.String:
		return ""
	}
	return "0"
}

func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	return strings.Join(q, ", ")
}

// set parses s into v (a value of the field's Go type) with the field's
// rules, including the None handling of Optional fields and range checks.
func (f *paramField) set(v reflect.Value, s string) error {
	target := v
	if v.Type().Implements(reflect.TypeFor[optionalField]()) {
		isNone := false
		switch f.kind {
		case kBool:
			b, set, err := parseOptionalBool(s)
			if err != nil {
				return err
			}
			if set {
				v.Field(0).SetBool(b)
			}
			v.Field(1).SetBool(set)
			return nil
		case kEnum:
			isNone = s == "None"
		default:
			st := stream{s: s}
			isNone = st.readNone() && st.restOnlySpace()
		}
		if isNone {
			v.Set(reflect.Zero(v.Type()))
			return nil
		}
		target = v.Field(0)
		v.Field(1).SetBool(true)
	}
	return f.setPlain(target, s, target != v)
}

func (f *paramField) setPlain(v reflect.Value, s string, inOptional bool) error {
	switch f.kind {
	case kBool:
		b, err := parseBoolAttr(s)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case kInt:
		var n int64
		var err error
		if inOptional {
			// optional<int>'s operator>> tolerates a trailing L.
			st := stream{s: s}
			n = st.readInt(f.bits, f.unsigned)
			if !st.fail && st.peek() == 'L' {
				st.get()
			}
			if st.fail || !st.restOnlySpace() {
				err = errSyntax
			}
		} else {
			n, err = parseIntAttr(s, f.bits, f.unsigned)
		}
		if err != nil {
			return err
		}
		if err := f.checkRange(float64(n)); err != nil {
			return err
		}
		if f.unsigned {
			v.SetUint(uint64(n))
		} else {
			v.SetInt(n)
		}
	case kFloat:
		var x float64
		var err error
		if inOptional {
			st := stream{s: s}
			x = st.readStreamFloat()
			if st.fail || !st.restOnlySpace() {
				err = errSyntax
			}
			if f.bits == 32 {
				x = float64(float32(x))
			}
		} else {
			x, err = dmlcParseFloat(s, f.bits == 32)
		}
		if err != nil {
			return err
		}
		if err := f.checkRange(x); err != nil {
			return err
		}
		v.SetFloat(x)
	case kEnum:
		for i, name := range f.Enum {
			if name == s {
				if v.Kind() == reflect.String {
					v.SetString(name)
				} else {
					v.SetInt(f.enumVals[i])
				}
				return nil
			}
		}
		if inOptional && v.Kind() != reflect.String {
			// dmlc hands a non-name to the plain optional<int> parser.
			if n, err := parseIntAttr(s, 32, false); err == nil {
				for _, ev := range f.enumVals {
					if ev == n {
						v.SetInt(n)
						return nil
					}
				}
			}
		}
		return fmt.Errorf("%w: valid values are %s", errSyntax, quoteJoin(f.Enum))
	case kTuple, kOptTuple:
		st := stream{s: s}
		read := readPlainInt(64)
		if f.kind == kOptTuple {
			read = readOptionalInt
		}
		vals, sets, known := parseTuple(&st, read, true)
		if st.fail || !st.restOnlySpace() {
			return errSyntax
		}
		if !known {
			v.Set(reflect.Zero(v.Type()))
			return nil
		}
		out := reflect.MakeSlice(v.Type(), len(vals), len(vals))
		for i, x := range vals {
			if f.kind == kTuple {
				out.Index(i).SetInt(x)
			} else if sets[i] {
				out.Index(i).Field(0).SetInt(x)
				out.Index(i).Field(1).SetBool(true)
			}
		}
		v.Set(out)
	}
	return nil
}

func (f *paramField) checkRange(x float64) error {
	if (f.min != nil && x < *f.min) || (f.max != nil && x > *f.max) {
		lo, hi := "-inf", "inf"
		if f.min != nil {
			lo = strconv.FormatFloat(*f.min, 'g', -1, 64)
		}
		if f.max != nil {
			hi = strconv.FormatFloat(*f.max, 'g', -1, 64)
		}
		return fmt.Errorf("value out of range [%s, %s]", lo, hi)
	}
	return nil
}

// isHiddenKey reports whether an attribute key is skipped by parameter
// parsing: it starts and ends with "__" and is longer than 4 bytes.
func isHiddenKey(k string) bool {
	return len(k) > 4 && strings.HasPrefix(k, "__") && strings.HasSuffix(k, "__")
}

// Parse parses attrs into a new *T following dmlc::Parameter's Init with
// hidden keys allowed.
func (p *Params[T]) Parse(attrs map[string]string) (*T, error) {
	p.init()
	out := new(T)
	v := reflect.ValueOf(out).Elem()
	seen := 0
	for i := range p.fields {
		f := &p.fields[i]
		s, ok := attrs[f.Name]
		if !ok {
			if f.Required {
				return nil, fmt.Errorf("required parameter %s of type %s is missing", f.Name, f.Type)
			}
			if f.def != nil {
				v.FieldByIndex(f.index).Set(*f.def)
			}
			continue
		}
		seen++
		if err := f.set(v.FieldByIndex(f.index), s); err != nil {
			return nil, fmt.Errorf("invalid value %q for parameter %s (expect %s): %w", s, f.Name, f.Type, err)
		}
	}
	if seen < len(attrs) {
		var unknown []string
		for k := range attrs {
			if !isHiddenKey(k) && !p.has(k) {
				unknown = append(unknown, k)
			}
		}
		if len(unknown) > 0 {
			sort.Strings(unknown)
			return nil, fmt.Errorf("unknown parameter %q (expected one of %s)", unknown[0], strings.Join(p.names(), ", "))
		}
	}
	return out, nil
}

func (p *Params[T]) has(k string) bool {
	for i := range p.fields {
		if p.fields[i].Name == k {
			return true
		}
	}
	return false
}

func (p *Params[T]) names() []string {
	n := make([]string, len(p.fields))
	for i := range p.fields {
		n[i] = p.fields[i].Name
	}
	return n
}

// Fields describes the declared parameters in declaration order.
func (p *Params[T]) Fields() []ParamField {
	p.init()
	out := make([]ParamField, len(p.fields))
	for i := range p.fields {
		out[i] = p.fields[i].ParamField
	}
	return out
}

// ParseAny is Parse with an untyped result, for Op.Parse.
func (p *Params[T]) ParseAny(attrs map[string]string) (any, error) {
	v, err := p.Parse(attrs)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Default returns the parameters with every field at its default (required
// fields at their zero value).
func (p *Params[T]) Default() *T {
	p.init()
	out := new(T)
	v := reflect.ValueOf(out).Elem()
	for i := range p.fields {
		if f := &p.fields[i]; f.def != nil {
			v.FieldByIndex(f.index).Set(*f.def)
		}
	}
	return out
}
