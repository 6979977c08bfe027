package graph

import (
	"errors"
	"fmt"
)

// ErrUnknownOp matches every *UnknownOpError with errors.Is.
var ErrUnknownOp = errors.New("unknown operator")

// UnknownOpError reports a node whose operator mxgo does not know (such a
// graph loads, lists and prints, but cannot be inferred or run).
type UnknownOpError struct {
	Op   string // operator name as found in the graph, e.g. "QConvolution"
	Node string // node name
}

// Error prints `unknown operator "QConvolution" (node q1)`.
func (e *UnknownOpError) Error() string {
	return fmt.Sprintf("unknown operator %q (node %s)", e.Op, e.Node)
}

// Is makes errors.Is(err, ErrUnknownOp) true.
func (e *UnknownOpError) Is(target error) bool { return target == ErrUnknownOp }

// NodeError is an error about one node; it prints as
// "node fc2 (FullyConnected): <Err>".
type NodeError struct {
	Node string // node name
	Op   string // operator name, "null" for variables
	Err  error
}

// Error prints "node <name> (<op>): <err>".
func (e *NodeError) Error() string { return fmt.Sprintf("node %s (%s): %v", e.Node, e.Op, e.Err) }

// Unwrap returns the underlying error.
func (e *NodeError) Unwrap() error { return e.Err }
