// Command seed-symbol builds the symbol of the seed document's example,
//
//	a = mx.sym.Variable('a', shape=[2])
//	b = mx.sym.Variable('b', shape=[3])
//	c = a + b
//
// and writes c's JSON to stdout exactly as MXNet 1.9.1's c.tojson() does.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/serialize"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "seed-symbol:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	// Python's str([2]) gives the list-style attribute "[2]".
	a := graph.Variable("a", graph.ShapeList(2))
	b := graph.Variable("b", graph.ShapeList(3))
	c, err := a.Add(b) // node _plus0, op elemwise_add
	if err != nil {
		return err
	}
	return serialize.WriteSymbol(w, c, nil)
}
