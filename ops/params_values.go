package ops

import (
	"fmt"
	"reflect"
)

// ParamValue is one parameter of a typed parameter struct, as Values
// reports it: the attribute key and the Go value, with enum values given
// by name (a string) and set Optional values unwrapped.
type ParamValue struct {
	Key   string
	Value any
}

// Values lists the parameters of v (a T or a *T) that a Python call would
// pass as keyword arguments: the required ones and every other one that is
// neither its Go zero value nor its default, in declaration order. A zero
// field counts as not given, so a struct literal naming only some fields
// (FullyConnectedParam{NumHidden: 64}) leaves the others at their MXNet
// defaults (flatten stays True); a zero value whose default is not zero
// (flatten=False) must be given as an attribute string instead. graph uses it to
// build nodes from typed parameters (graph.Call.Params), printing each
// value as Python's str() does.
func (p *Params[T]) Values(v any) ([]ParamValue, error) {
	p.init()
	var rv reflect.Value
	switch x := v.(type) {
	case T:
		rv = reflect.ValueOf(&x).Elem()
	case *T:
		if x == nil {
			return nil, fmt.Errorf("nil %T", v)
		}
		rv = reflect.ValueOf(x).Elem()
	default:
		return nil, fmt.Errorf("parameters of type %T, want %s", v, reflect.TypeFor[T]())
	}
	var out []ParamValue
	for i := range p.fields {
		f := &p.fields[i]
		fv := rv.FieldByIndex(f.index)
		def := reflect.Zero(fv.Type())
		if f.def != nil {
			def = *f.def
		}
		if !f.Required && (fv.IsZero() || reflect.DeepEqual(fv.Interface(), def.Interface())) {
			continue
		}
		if _, ok := fv.Interface().(optionalField); ok {
			if !fv.FieldByName("Set").Bool() {
				continue // None
			}
			fv = fv.FieldByName("Value")
		}
		val := fv.Interface()
		if f.kind == kEnum {
			name, err := f.enumName(fv)
			if err != nil {
				return nil, fmt.Errorf("parameter %s: %w", f.Name, err)
			}
			val = name
		}
		out = append(out, ParamValue{Key: f.Name, Value: val})
	}
	return out, nil
}

// enumName returns the name of enum value v.
func (f *paramField) enumName(v reflect.Value) (string, error) {
	if v.Kind() == reflect.String {
		return v.String(), nil
	}
	for i, ev := range f.enumVals {
		if ev == v.Int() {
			return f.Enum[i], nil
		}
	}
	return "", fmt.Errorf("value %d is not one of %s", v.Int(), quoteJoin(f.Enum))
}
