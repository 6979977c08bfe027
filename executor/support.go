package executor

import (
	"slices"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
)

// UnsupportedOps returns the sorted, distinct names of the operators in sym
// (and in its control-flow subgraphs) that mxgo cannot run: names the
// registry does not know, and ops registered without a forward kernel (they
// load, print and infer shapes, but Bind refuses them). An empty result
// means every node has a kernel; attributes are still checked by Bind.
func UnsupportedOps(sym *graph.Symbol) []string {
	seen := map[string]bool{}
	var out []string
	var visit func(s *graph.Symbol)
	visit = func(s *graph.Symbol) {
		for _, n := range s.Nodes() {
			if n.IsVariable() {
				continue
			}
			if op, ok := ops.Lookup(n.OpName); (!ok || op.Forward == nil) && !seen[n.OpName] {
				seen[n.OpName] = true
				out = append(out, n.OpName)
			}
			for _, sub := range n.Subgraphs {
				visit(sub)
			}
		}
	}
	visit(sym)
	slices.Sort(out)
	return out
}
