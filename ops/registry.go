package ops

import (
	"fmt"
	"slices"
	"sort"
)

var registry = map[string]*Op{}

// Register adds op under its name and aliases. It panics on a duplicate name:
// registration happens in init functions, so a clash is a programming error.
// When op.Parse is nil and op.Params can parse (a *Params[T]), Parse is set
// from it.
func Register(op *Op) *Op {
	if p, ok := op.Params.(interface {
		ParseAny(map[string]string) (any, error)
	}); ok && op.Parse == nil {
		op.Parse = p.ParseAny
	}
	for _, n := range append([]string{op.Name}, op.Aliases...) {
		if prev, dup := registry[n]; dup {
			panic(fmt.Sprintf("ops: %q registered twice (%s and %s)", n, prev.Name, op.Name))
		}
		registry[n] = op
	}
	return op
}

// Lookup finds an op by canonical name or alias.
func Lookup(name string) (*Op, bool) {
	op, ok := registry[name]
	return op, ok
}

// Names returns the canonical names of all registered ops, sorted.
func Names() []string {
	var out []string
	for n, op := range registry {
		if n == op.Name {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return slices.Clip(out)
}
