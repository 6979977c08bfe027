package graph

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/tensor"
)

// hiddenKeys are MXNet 1.x's kHiddenKeys (see HiddenKeys).
var hiddenKeys = []string{"ctx_group", "lr_mult", "wd_mult", "force_mirroring", "mirror_stage"}

// HiddenKeys returns MXNet 1.x's kHiddenKeys: the attributes MXNet stores
// as __key__ (ctx_group becomes __ctx_group__). The slice is a copy.
func HiddenKeys() []string { return slices.Clone(hiddenKeys) }

// hiddenAttrKey maps an attribute key the way MXNet's C API does. For op
// creation (exact=false, MXSymbolCreateAtomicSymbol) a key that starts
// with a hidden key becomes __key__; for variables and SetAttr (exact=true,
// MXSymbolSetAttr) only an exact match does. A key that merely ends with a
// hidden key (weight_lr_mult) is rejected as deprecated.
func hiddenAttrKey(key string, exact bool) (string, error) {
	for _, h := range hiddenKeys {
		pos := strings.LastIndex(key, h)
		if pos == 0 && (!exact || len(key) == len(h)) {
			return "__" + key + "__", nil
		}
		if pos > 0 && pos == len(key)-len(h) {
			return "", fmt.Errorf("setting variable attributes with %s is deprecated: create Variable(%s=...) and pass it as %s", key, h, key[:pos-1])
		}
	}
	return key, nil
}

// Builder composes symbols with MXNet's naming (mx.name.NameManager, one
// counter per name hint) and attribute scope (mx.AttrScope). Its name
// counters are safe for concurrent use, but composing ops on shared input
// variables from several goroutines is not: composition updates those
// variables' versions and attributes, as in MXNet. The zero value is not
// usable; use NewBuilder.
type Builder struct {
	names *nameManager
	attrs map[string]string
}

type nameManager struct {
	mu      sync.Mutex
	prefix  string
	counter map[string]int
}

// with is NameManager.get: it calls f with the given name, else hint +
// the hint's counter (with a prefix both get it prepended, as
// mx.name.Prefix does), and consumes the automatic
// name (advances the hint's counter) only when f succeeds, so a failed
// Apply leaves the counters as they were. The counters stay locked while f
// runs.
func (m *nameManager) with(name, hint string, f func(name string) error) error {
	if name != "" {
		return f(m.prefix + name)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.counter[hint]
	if err := f(m.prefix + hint + strconv.Itoa(c)); err != nil {
		return err
	}
	m.counter[hint] = c + 1
	return nil
}

// NewBuilder returns a builder with fresh name counters and no attribute
// scope, like a new mx.name.NameManager.
func NewBuilder() *Builder {
	return &Builder{names: &nameManager{counter: map[string]int{}}}
}

// Default is the builder used by the package-level Apply and Variable and
// by the Symbol arithmetic methods, like Python's current NameManager.
var Default = NewBuilder()

// Prefix returns a builder with fresh counters whose names all start with
// prefix (with mx.name.Prefix(prefix): ...). It keeps b's attribute scope.
func (b *Builder) Prefix(prefix string) *Builder {
	return &Builder{names: &nameManager{prefix: prefix, counter: map[string]int{}}, attrs: b.attrs}
}

// WithAttrs returns a builder sharing b's name counters whose ops and
// variables also get attrs (with mx.AttrScope(**attrs): ...), merged over
// b's scope.
func (b *Builder) WithAttrs(attrs map[string]string) *Builder {
	merged := maps.Clone(b.attrs)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, attrs)
	return &Builder{names: b.names, attrs: merged}
}

// VarOption sets an attribute of a new variable.
type VarOption func(attrs map[string]string) error

// Shape sets __shape__ as Python's str(tuple) prints it: "(2,)",
// "(3, 224, 224)"; 0 means an unknown dim in MXNet 1.x.
func Shape(dims ...int) VarOption {
	return func(a map[string]string) error { a["__shape__"] = PyTuple(dims); return nil }
}

// ShapeList sets __shape__ as Python's str(list) prints it: "[2]".
func ShapeList(dims ...int) VarOption {
	return func(a map[string]string) error { a["__shape__"] = PyList(dims); return nil }
}

// DType sets __dtype__ to the dtype's numeric flag ("0" for float32).
func DType(dt tensor.DType) VarOption {
	return func(a map[string]string) error {
		if !dt.Valid() {
			return fmt.Errorf("invalid dtype %d", int(dt))
		}
		a["__dtype__"] = strconv.Itoa(int(dt))
		return nil
	}
}

// Init sets __init__, e.g. "zeros" or `["xavier", {"magnitude": 3}]`.
func Init(init string) VarOption {
	return func(a map[string]string) error { a["__init__"] = init; return nil }
}

// LRMult sets __lr_mult__ (printed like Python's str(float): "1.0").
func LRMult(m float64) VarOption {
	return func(a map[string]string) error { a["__lr_mult__"] = PyFloat(m); return nil }
}

// WDMult sets __wd_mult__.
func WDMult(m float64) VarOption {
	return func(a map[string]string) error { a["__wd_mult__"] = PyFloat(m); return nil }
}

// StorageType sets __storage_type__ from "default", "row_sparse" or "csr".
func StorageType(stype string) VarOption {
	return func(a map[string]string) error {
		ids := map[string]string{"default": "0", "row_sparse": "1", "csr": "2"}
		id, ok := ids[stype]
		if !ok {
			return fmt.Errorf("unknown storage type %q", stype)
		}
		a["__storage_type__"] = id
		return nil
	}
}

// Attr sets an arbitrary attribute; plain hidden keys ("ctx_group") are
// stored as MXNet stores them ("__ctx_group__").
func Attr(key, value string) VarOption {
	return func(a map[string]string) error {
		k, err := hiddenAttrKey(key, true)
		if err != nil {
			return err
		}
		a[k] = value
		return nil
	}
}

// Variable creates a variable (mx.sym.var) with the builder's attribute
// scope and the given options.
func (b *Builder) Variable(name string, opts ...VarOption) (*Symbol, error) {
	attrs := map[string]string{}
	for _, k := range slices.Sorted(maps.Keys(b.attrs)) {
		if err := Attr(k, b.attrs[k])(attrs); err != nil {
			return nil, fmt.Errorf("variable %s: %w", name, err)
		}
	}
	for _, o := range opts {
		if err := o(attrs); err != nil {
			return nil, fmt.Errorf("variable %s: %w", name, err)
		}
	}
	return &Symbol{Outputs: []Entry{{Node: &Node{Name: name, Attrs: attrs}}}}, nil
}

// Variable creates a variable with the Default builder. Options that can
// fail (Attr with a deprecated key, an invalid DType) make it panic; use
// Default.Variable to get the error instead.
func Variable(name string, opts ...VarOption) *Symbol {
	s, err := Default.Variable(name, opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Call describes one operator application.
type Call struct {
	// Name is the node name; "" means automatic (hint + counter).
	Name string
	// Inputs are positional inputs, matched to the op's input names in
	// order (for list-input ops such as Concat, all of them).
	Inputs []*Symbol
	// Named are inputs by input name ("data", "weight", "gamma", ...).
	Named map[string]*Symbol
	// Attrs are the op's parameters as Python's str() prints them
	// ("128", "(3, 3)", "True") and other attributes; plain hidden keys
	// (lr_mult, ctx_group) become __lr_mult__, __ctx_group__.
	Attrs map[string]string
	// Hint overrides the automatic-name hint, which is the op name as
	// called, lower-cased ("fullyconnected", "_plus").
	Hint string
	// Params, when not nil, gives the op's parameters as its typed struct
	// (e.g. ops.FullyConnectedParam{NumHidden: 64} or a pointer to one)
	// instead of strings: the required fields and the others that are
	// neither zero nor their default become attributes printed as
	// Python's str() prints them ("64", "True", "(3, 3)", "relu"); zero
	// fields keep the op's default (see ops.Params.Values). A key may not
	// be in both Params and Attrs.
	Params any
}

// typedAttrs returns the attributes of typed parameters v for op o.
func typedAttrs(o *ops.Op, v any) (map[string]string, error) {
	pv, ok := o.Params.(interface {
		Values(any) ([]ops.ParamValue, error)
	})
	if !ok {
		return nil, fmt.Errorf("%s takes no typed parameters", o.Name)
	}
	vals, err := pv.Values(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.Name, err)
	}
	out := make(map[string]string, len(vals))
	for _, x := range vals {
		s, err := pyStr(x.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: parameter %s: %w", o.Name, x.Key, err)
		}
		out[x.Key] = s
	}
	return out, nil
}

// pyStr prints a parameter value as Python's str() does.
func pyStr(v any) (string, error) {
	switch x := v.(type) {
	case bool:
		if x {
			return "True", nil
		}
		return "False", nil
	case string:
		return x, nil
	case float32:
		return PyFloat32(x), nil
	case float64:
		return PyFloat(x), nil
	case []int:
		parts := make([]string, len(x))
		for i, d := range x {
			parts[i] = strconv.Itoa(d)
		}
		return pyTuple(parts), nil
	case []ops.Optional[int]:
		parts := make([]string, len(x))
		for i, d := range x {
			parts[i] = "None"
			if d.Set {
				parts[i] = strconv.Itoa(d.Value)
			}
		}
		return pyTuple(parts), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), nil
	}
	return "", fmt.Errorf("cannot print %T", v)
}

// pyTuple prints a Python tuple: "()", "(3,)", "(3, 3)".
func pyTuple(parts []string) string {
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// Apply applies op (a canonical name or an alias) as MXNet's generated
// symbol functions do: parameters are parsed, inputs not given become
// variables named <node>_<input> carrying a copy of the node's
// attributes, variable versions are updated for mutated (auxiliary)
// inputs, and the op's FSetInputVarAttrOnCompose attributes are added to
// variable inputs. The result has the op's visible outputs.
func (b *Builder) Apply(op string, c Call) (*Symbol, error) {
	o, ok := ops.Lookup(op)
	if !ok {
		return nil, fmt.Errorf("operator %q is not registered", op)
	}
	attrs := map[string]string{}
	add := func(k, v string) error {
		hk, err := hiddenAttrKey(k, false)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		attrs[hk] = v
		return nil
	}
	var typed map[string]string
	if c.Params != nil {
		var err error
		if typed, err = typedAttrs(o, c.Params); err != nil {
			return nil, err
		}
		for k := range typed {
			if _, dup := c.Attrs[k]; dup {
				return nil, fmt.Errorf("%s: parameter %s given in both Params and Attrs", op, k)
			}
		}
	}
	for _, src := range []map[string]string{typed, c.Attrs, b.attrs} {
		for _, k := range slices.Sorted(maps.Keys(src)) {
			if err := add(k, src[k]); err != nil {
				return nil, err
			}
		}
	}
	if k := o.KeyVarNumArgs; k != "" {
		if _, given := c.Attrs[k]; !given {
			attrs[k] = strconv.Itoa(len(c.Inputs) + len(c.Named))
		}
	}
	hint := c.Hint
	if hint == "" {
		hint = strings.ToLower(op)
	}
	n := &Node{OpName: o.Name, Op: o, Attrs: attrs}
	err := b.names.with(c.Name, hint, func(name string) error {
		n.Name = name
		n.Parse()
		if n.ParseErr != nil {
			return fmt.Errorf("%s %s: %w", o.Name, name, n.ParseErr)
		}
		return n.compose(c.Inputs, c.Named)
	})
	if err != nil {
		return nil, err
	}
	s := &Symbol{}
	for i := 0; i < n.visibleOutputs(); i++ {
		s.Outputs = append(s.Outputs, Entry{Node: n, Index: i})
	}
	return s, nil
}

// Apply applies op with the Default builder.
func Apply(op string, c Call) (*Symbol, error) { return Default.Apply(op, c) }

// compose connects n's inputs (nnvm Symbol::Compose for an atomic symbol).
func (n *Node) compose(args []*Symbol, kwargs map[string]*Symbol) error {
	single := func(s *Symbol, what string) (Entry, error) {
		if s == nil || len(s.Outputs) != 1 {
			return Entry{}, n.errorf("%s must be a single-output symbol", what)
		}
		return s.Outputs[0], nil
	}
	argNames := n.InputNames()
	if len(args) > len(argNames) {
		return n.errorf("%d inputs given, the op takes %d (%s)", len(args), len(argNames), strings.Join(argNames, ", "))
	}
	n.Inputs = make([]Entry, len(argNames))
	for i, a := range args {
		e, err := single(a, fmt.Sprintf("input %d", i))
		if err != nil {
			return err
		}
		n.Inputs[i] = e
	}
	matched := 0
	for i := len(args); i < len(argNames); i++ {
		if a, ok := kwargs[argNames[i]]; ok {
			e, err := single(a, argNames[i])
			if err != nil {
				return err
			}
			n.Inputs[i] = e
			matched++
			continue
		}
		v := NewVariableNode(defaultVarName(n.Name, argNames[i]), n.Attrs)
		n.Inputs[i] = Entry{Node: v}
	}
	if matched != len(kwargs) {
		var unknown []string
		for k := range kwargs {
			if !slices.Contains(argNames[len(args):], k) {
				unknown = append(unknown, k)
			}
		}
		sort.Strings(unknown)
		return n.errorf("no input named %s (inputs: %s)", strings.Join(unknown, ", "), strings.Join(argNames, ", "))
	}
	if err := n.updateVersions(); err != nil {
		return err
	}
	if f := n.Op.InputVarAttrs; f != nil {
		for i, e := range n.Inputs {
			if !e.Node.IsVariable() {
				continue
			}
			for k, v := range f(n.Params, i) {
				if _, ok := e.Node.Attrs[k]; !ok {
					e.Node.Attrs[k] = v
				}
			}
		}
	}
	return nil
}

// updateVersions is nnvm's UpdateNodeVersion: variable inputs record the
// variable's current version; mutated ones bump it first.
func (n *Node) updateVersions() error {
	for i := range n.Inputs {
		if v := n.Inputs[i].Node; v.IsVariable() {
			n.Inputs[i].Version = int(v.version)
		}
	}
	for _, i := range n.auxInputs() {
		v := n.Inputs[i].Node
		if !v.IsVariable() {
			return n.errorf("mutated input %s must be a variable", n.InputNames()[i])
		}
		v.version++
		n.Inputs[i].Version = int(v.version)
	}
	return nil
}

// defaultVarName is <node>_<input>, or just <input> for an unnamed node.
func defaultVarName(node, input string) string {
	if node == "" {
		return input
	}
	return node + "_" + input
}
