// Package ops is mxgo's operator registry. Every operator is registered once
// with everything the rest of the system needs: its canonical MXNet name and
// aliases, typed parsing of MXNet's attribute strings, input/output/aux
// names, shape and type inference, in-place options and its kernels.
//
// graph uses the metadata (naming, implicit inputs, inference); executor uses
// the kernels. One file per operator family (fully_connected.go,
// activation.go, ...) holds both.
package ops

import (
	"github.com/mxgo/mxgo/tensor"
)

// Shape is a possibly partial shape during inference: nil means the whole
// shape is unknown, and a dim of -1 is unknown.
type Shape = []int

// Ctx is what a kernel may use besides its inputs and outputs. The executor
// owns it; kernels must not retain it.
type Ctx struct {
	// Train is true for a training forward pass (Dropout masks, batch
	// statistics); false at inference.
	Train bool
	// Threads bounds the goroutines a kernel may use (>= 1).
	Threads int
	// Scratch is the kernel's workspace, at least as long as the op's
	// Workspace function asked for (nil when it asks for none).
	Scratch []float32
}

// Kernel computes outputs from inputs. Tensors have the shapes and dtypes
// inference gave; outputs are preallocated (possibly sharing storage with an
// input when the op allows in-place). Kernels must not allocate in the
// steady state.
type Kernel func(ctx *Ctx, params any, in, out []*tensor.Tensor) error

// Op is one registered operator. Functions taking params receive the value
// Parse returned for the node. Build ops with Def and Register.
type Op struct {
	// Name is the canonical name written to symbol JSON ("FullyConnected").
	Name string
	// Aliases are other names that resolve to this op ("_Plus", "_npx_...").
	Aliases []string
	// Hint is the lower-case prefix of automatic node names
	// ("fullyconnected" gives fullyconnected0, fullyconnected1, ...).
	Hint string

	// Parse turns a node's attribute strings into the op's typed params,
	// following dmlc::Parameter rules: hidden keys (__x__) are skipped,
	// unknown keys and bad values are errors, defaults fill the rest.
	Parse func(attrs map[string]string) (any, error)
	// InputNames lists the inputs in order (FListInputNames), e.g. data,
	// weight, bias for FullyConnected without no_bias. A nil result with
	// Variadic set means "any number".
	InputNames func(params any) []string
	// Variadic marks ops whose arity is given by the node (kVarg, e.g.
	// add_n with num_args): they never create implicit inputs.
	Variadic bool
	// AuxInputs lists the indices of inputs that are auxiliary states
	// (FMutateInputs), e.g. 3 and 4 for BatchNorm.
	AuxInputs func(params any) []int
	// NumOutputs counts all outputs including hidden ones (node_row_ptr).
	NumOutputs func(params any) int
	// NumVisibleOutputs counts the outputs a Python symbol exposes.
	NumVisibleOutputs func(params any) int
	// OutputNames names the outputs ("output", "mean", "var"); nil means
	// MXNet's default naming.
	OutputNames func(params any) []string
	// InputVarAttrs returns extra attributes for an implicitly created or
	// upgraded variable input i (FSetInputVarAttrOnCompose), e.g. BatchNorm
	// moving_mean {"__init__": "[\"zero\", {}]"}; nil for none.
	InputVarAttrs func(params any, input int) map[string]string

	// InferShape fills unknown entries of in and out from the known ones
	// and checks consistency; errors describe the mismatch (the caller adds
	// the node name and op).
	InferShape func(params any, in, out []Shape) error
	// InferType does the same for dtypes (-1 = unknown).
	InferType func(params any, in, out []tensor.DType) error
	// InPlace lists (input, output) pairs that may share storage.
	InPlace func(params any) [][2]int
	// Workspace returns the float32 scratch length Forward needs for the
	// given input shapes (nil: none).
	Workspace func(params any, in []Shape) int

	// Forward is the inference/training forward kernel; nil when mxgo can
	// load and print the op but not run it.
	Forward Kernel
}
