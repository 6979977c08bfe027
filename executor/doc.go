// Package executor binds a graph to its parameters and runs it: shape and
// type inference, a memory plan computed once per input-shape class (see
// planMemory), and forward passes that allocate nothing after warm-up and
// are safe for concurrent use.
package executor
