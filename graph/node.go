// Package graph is MXNet's Symbol in Go: graphs of variables and operator
// applications with MXNet's semantics (automatic names, implicit inputs,
// hidden attributes, argument and output lists, internals), and an indexed
// form on which shape and type inference run as separate passes producing
// side tables, as nnvm does.
//
// A Symbol is a list of output entries; nodes are shared between symbols
// (composing a new op never copies its inputs). Nodes of graphs loaded from
// JSON keep every attribute string verbatim; operators unknown to the
// registry still load, list and print, and only fail when a pass needs
// their semantics (UnknownOpError).
package graph

import (
	"fmt"
	"maps"

	"github.com/mxgo/mxgo/ops"
)

// Node is one node: a variable or an operator application.
type Node struct {
	// OpName is the operator's canonical name (for ops mxgo knows) or the
	// name found in a file (for unknown ones); "" for variables.
	OpName string
	// Op is the registered operator; nil for variables and unknown ops.
	Op *ops.Op
	// Name is the node name ("fc1", "data"); it may be empty.
	Name string
	// Attrs holds the attribute strings: op parameters as given and hidden
	// attributes (__shape__, __lr_mult__, ...). Never nil.
	Attrs map[string]string
	// Inputs are the node's input entries (empty for variables).
	Inputs []Entry
	// ControlDeps are extra nodes that must run before this one.
	ControlDeps []*Node
	// Subgraphs are the bodies of control-flow operators (MXNet >= 1.3).
	Subgraphs []*Symbol
	// Params is the op's parsed parameters (nil for variables, unknown ops,
	// ops without parameters, and when ParseErr is set).
	Params any
	// ParseErr is the error parsing Attrs for a known op.
	ParseErr error
	// FileOutputs is the output count the node had in a loaded file's
	// node_row_ptr (0 for nodes built in Go). The writer prints it instead
	// of the registry's count so a loaded graph re-prints byte for byte.
	FileOutputs int

	version uint32 // variables: how many composed ops mutated it
}

// Entry is one output of a node, as used by a consumer: the output index
// and, for variables, the mutation version the consumer saw.
type Entry struct {
	Node    *Node
	Index   int
	Version int
}

// NewVariableNode returns a variable node with a copy of attrs.
func NewVariableNode(name string, attrs map[string]string) *Node {
	return &Node{Name: name, Attrs: copyAttrs(attrs)}
}

// NewOpNode returns an operator node named name for op (canonical name or
// alias) with a copy of attrs, parsed. An op the registry does not know
// gives a node with Op == nil that keeps opName; it is not an error here.
func NewOpNode(opName, name string, attrs map[string]string) *Node {
	n := &Node{OpName: opName, Name: name, Attrs: copyAttrs(attrs)}
	if op, ok := ops.Lookup(opName); ok {
		n.Op, n.OpName = op, op.Name
	}
	n.Parse()
	return n
}

func copyAttrs(a map[string]string) map[string]string {
	if a == nil {
		return map[string]string{}
	}
	return maps.Clone(a)
}

// IsVariable reports whether n is a variable.
func (n *Node) IsVariable() bool { return n.OpName == "" }

// Parse (re)parses Attrs into Params, setting ParseErr on failure. Call it
// after changing the attributes of an op node.
func (n *Node) Parse() {
	n.Params, n.ParseErr = nil, nil
	if n.Op == nil || n.Op.Parse == nil {
		return
	}
	p, err := n.Op.Parse(n.Attrs)
	if err != nil {
		n.ParseErr = err
		return
	}
	n.Params = p
}

// Ready reports whether the node's operator semantics are available: a
// variable, or a known op whose attributes parsed.
func (n *Node) Ready() bool { return n.IsVariable() || (n.Op != nil && n.ParseErr == nil) }

// CheckOp returns nil for a Ready node, an *UnknownOpError for an unknown
// operator and a *NodeError for attributes that do not parse.
func (n *Node) CheckOp() error {
	switch {
	case n.IsVariable():
		return nil
	case n.Op == nil:
		return &UnknownOpError{Op: n.OpName, Node: n.Name}
	case n.ParseErr != nil:
		return n.errorf("%w", n.ParseErr)
	}
	return nil
}

// InputNames returns the op's input names (nil when not Ready or a
// variable).
func (n *Node) InputNames() []string {
	if n.IsVariable() || !n.Ready() {
		return nil
	}
	return n.Op.Inputs(n.Params)
}

// NumOutputs is the number of outputs including hidden ones: the
// registry's count for known ops, else the file's count (at least 1).
func (n *Node) NumOutputs() int {
	switch {
	case n.IsVariable():
		return 1
	case n.Ready():
		return n.Op.Outputs(n.Params)
	case n.FileOutputs > 0:
		return n.FileOutputs
	}
	return 1
}

// SavedOutputs is the output count the writer records in node_row_ptr:
// the loaded file's own count when there was one, else NumOutputs.
func (n *Node) SavedOutputs() int {
	if n.FileOutputs > 0 {
		return n.FileOutputs
	}
	return n.NumOutputs()
}

// visibleOutputs is FNumVisibleOutputs (all outputs when unknown).
func (n *Node) visibleOutputs() int {
	if !n.IsVariable() && n.Ready() {
		return n.Op.VisibleOutputs(n.Params)
	}
	return n.NumOutputs()
}

// auxInputs lists the indices of inputs the op mutates.
func (n *Node) auxInputs() []int {
	if n.IsVariable() || !n.Ready() {
		return nil
	}
	return n.Op.Aux(n.Params)
}

// OutputName returns output i's name as list_outputs prints it:
// "<node>_<out>" with <out> from the op's output names ("output",
// "output0", "mean", ...), or just the variable's name.
func (n *Node) OutputName(i int) string {
	if n.IsVariable() {
		return n.Name
	}
	var op *ops.Op
	var params any
	if n.Ready() {
		op, params = n.Op, n.Params
	}
	out := op.OutputName(params, i, n.NumOutputs())
	if n.Name == "" {
		return out
	}
	return n.Name + "_" + out
}

// opLabel is the op name for messages ("null" for variables).
func (n *Node) opLabel() string {
	if n.IsVariable() {
		return "null"
	}
	return n.OpName
}

// errorf returns a *NodeError for n.
func (n *Node) errorf(format string, args ...any) error {
	return &NodeError{Node: n.Name, Op: n.opLabel(), Err: fmt.Errorf(format, args...)}
}
