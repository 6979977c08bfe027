package serialize

import (
	"fmt"
	"strings"

	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/tensor"
)

// SplitParams splits a checkpoint's arrays by key prefix as MXNet's
// load_checkpoint does: "arg:NAME" goes to args and "aux:NAME" to aux (the
// key is cut at the first ':'). Names without one of these prefixes (Gluon
// save_parameters files such as "fc1.weight") go to args unchanged. Sparse
// arrays are densified. None arrays, unnamed (list) files, other prefixes
// and duplicate names are errors.
func SplitParams(l *NDArrayList) (args, aux map[string]*tensor.Tensor, err error) {
	if len(l.Arrays) > 0 && !l.Named {
		return nil, nil, fmt.Errorf("split params: the file is an unnamed list of %d arrays", len(l.Arrays))
	}
	args = make(map[string]*tensor.Tensor)
	aux = make(map[string]*tensor.Tensor)
	for i := range l.Arrays {
		a := &l.Arrays[i]
		dst, name := args, a.Name
		if kind, rest, ok := strings.Cut(a.Name, ":"); ok {
			switch kind {
			case "arg":
				name = rest
			case "aux":
				dst, name = aux, rest
			default:
				return nil, nil, fmt.Errorf("split params: array %d key %s has unknown prefix %s (want arg: or aux:)", i, quote.String(a.Name), quote.String(kind))
			}
		}
		if name == "" {
			return nil, nil, fmt.Errorf("split params: array %d has an empty name", i)
		}
		if _, dup := dst[name]; dup {
			return nil, nil, fmt.Errorf("split params: array %d: duplicate key %s", i, quote.String(a.Name))
		}
		t, err := a.Dense()
		if err != nil {
			return nil, nil, fmt.Errorf("split params: %w", err)
		}
		dst[name] = t
	}
	return args, aux, nil
}
