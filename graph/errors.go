package graph

import (
	"errors"
	"fmt"

	"github.com/mxgo/mxgo/internal/quote"
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
	return fmt.Sprintf("unknown operator %s (node %s)", quote.String(e.Op), quote.Name(e.Node))
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

// Error prints "node <name> (<op>): <err>"; a name or op that is long or
// holds unusual characters is quoted and truncated (see quote.Name).
func (e *NodeError) Error() string {
	return fmt.Sprintf("node %s (%s): %v", quote.Name(e.Node), quote.Name(e.Op), e.Err)
}

// Unwrap returns the underlying error.
func (e *NodeError) Unwrap() error { return e.Err }
