package serialize

import (
	"fmt"
	"strconv"
)

// pickleList decodes a pickle into an NDArrayList (see PickleNDArrayList).
func pickleList(b []byte, bud *budget) (*NDArrayList, error) {
	if int64(len(b)) > bud.lim.MaxFileBytes {
		return nil, &FormatError{Msg: fmt.Sprintf("pickle of %d bytes exceeds the limit of %d (Limits.MaxFileBytes)", len(b), bud.lim.MaxFileBytes)}
	}
	v, err := parsePickle(b, bud)
	if err != nil {
		return nil, err
	}
	switch v.(type) {
	case *NDArray, []any, PickleTuple, PickleDict:
	default:
		return nil, &FormatError{Msg: fmt.Sprintf("pickle holds a Python %s, not NDArrays", pyType(v))}
	}
	return PickleNDArrayList(v), nil
}

// PickleNDArrayList lists the NDArrays of a decoded pickle value (what
// ReadNDArrays returns for a pickle file; Format is FormatPickle). A single
// NDArray, or a list or tuple of NDArrays, gives an unnamed list; anything
// else a named list whose names are the paths to the arrays: dict keys and
// list/tuple positions joined with "/" ("w" for {'w': nd}, "0/1" for the
// second array of parameter 0's state in a .states file). None values are
// left out. Writing the list as FormatPickle writes v again, with the
// arrays as they are in the list then.
func PickleNDArrayList(v any) *NDArrayList {
	l := &NDArrayList{Format: FormatPickle, pickle: v}
	var walk func(v any, path string, depth int)
	walk = func(v any, path string, depth int) {
		if depth > maxPickleDepth {
			return
		}
		join := func(k string) string {
			if path == "" {
				return k
			}
			return path + "/" + k
		}
		switch x := v.(type) {
		case *NDArray:
			a := *x
			a.Name = path
			l.Arrays = append(l.Arrays, a)
			l.pickleRefs = append(l.pickleRefs, x)
		case []any:
			for i, e := range x {
				walk(e, join(strconv.Itoa(i)), depth+1)
			}
		case PickleTuple:
			for i, e := range x {
				walk(e, join(strconv.Itoa(i)), depth+1)
			}
		case PickleDict:
			for _, it := range x {
				walk(it.Value, join(pickleKeyString(it.Key)), depth+1)
			}
		}
	}
	walk(v, "", 0)
	if _, one := v.(*NDArray); !one {
		l.Named = !flatArrayList(v)
	}
	if !l.Named {
		for i := range l.Arrays {
			l.Arrays[i].Name = ""
		}
	}
	return l
}

// flatArrayList reports whether v is a list or tuple of NDArrays only.
func flatArrayList(v any) bool {
	var items []any
	switch x := v.(type) {
	case []any:
		items = x
	case PickleTuple:
		items = x
	default:
		return false
	}
	for _, e := range items {
		if _, ok := e.(*NDArray); !ok {
			return false
		}
	}
	return true
}

func pickleKeyString(k any) string {
	switch x := k.(type) {
	case string:
		return x
	case nil:
		return "None"
	}
	return fmt.Sprint(k)
}

// PickleValue returns the value WriteNDArrays writes for l as a pickle:
// the pickle l was read from, with its arrays replaced by l's current ones;
// otherwise a list of l's arrays (unnamed) or a dict of name → array.
func (l *NDArrayList) PickleValue() any {
	if l.pickle != nil && len(l.pickleRefs) == len(l.Arrays) {
		for i := range l.Arrays {
			name := l.pickleRefs[i].Name
			*l.pickleRefs[i] = l.Arrays[i]
			l.pickleRefs[i].Name = name
		}
		return l.pickle
	}
	if !l.Named {
		out := make([]any, len(l.Arrays))
		for i := range l.Arrays {
			out[i] = &l.Arrays[i]
		}
		return out
	}
	d := make(PickleDict, len(l.Arrays))
	for i := range l.Arrays {
		d[i] = PickleItem{l.Arrays[i].Name, &l.Arrays[i]}
	}
	return d
}
