// Package ops is mxgo's operator registry. Every operator is registered once
// with everything the rest of the system needs: its canonical MXNet name and
// aliases, typed parsing of MXNet's attribute strings, input/output/aux
// names, shape and type inference, in-place options and its kernels.
//
// graph uses the metadata (naming, implicit inputs, inference); executor uses
// the kernels. One file per operator family (fully_connected.go,
// activation.go, ...) holds both.
//
// The metadata follows MXNet 1.9.1 as shipped on PyPI (a oneDNN build):
// where builds differ (max Pooling's hidden workspace output) the oneDNN
// behaviour is registered.
package ops

import (
	"context"
	"github.com/mxgo/mxgo/internal/parallel"
	"math/rand/v2"
	"strconv"

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
	// Scratch is the kernel's workspace: WorkspaceShares parts (Threads
	// parts when the op does not say), each as long as the op's Workspace
	// function asked for, so goroutines splitting the op's work can each
	// use their own (nil when it asks for none).
	Scratch []float32
	// Context is the call's context (nil: none). Kernels must not keep
	// it; long ones poll it through Err at block boundaries.
	Context context.Context
	// Rand is the random source of training kernels (Dropout's mask); nil
	// uses math/rand/v2's global source. A seeded Rand makes training
	// reproducible; it is used by one goroutine at a time.
	Rand *rand.Rand
	// Crew, set by the executor on the goroutines of a batch split, lets a
	// kernel running on one thread share its work units with the split's
	// goroutines that have finished their own share (nil: none).
	Crew *parallel.Member
}

// Kernel computes outputs from inputs. Tensors have the shapes and dtypes
// inference gave; outputs are preallocated (possibly sharing storage with an
// input when the op allows in-place). Kernels must not allocate in the
// steady state.
type Kernel func(ctx *Ctx, params any, in, out []*tensor.Tensor) error

// GradReq says how a backward kernel stores an input's gradient, as
// MXNet's OpReqType / grad_req: overwrite, accumulate, or skip.
type GradReq uint8

// The gradient requests.
const (
	GradNull  GradReq = iota // no gradient wanted (inGrad[i] is nil)
	GradWrite                // inGrad[i] = gradient
	GradAdd                  // inGrad[i] += gradient
)

// BackwardKernel computes the gradients of an op's inputs from the
// gradients of its outputs. in and out are the forward pass's inputs
// (auxiliary states included) and outputs (hidden ones included, as the
// training forward left them); outGrad[j] is the gradient of output j (nil
// for outputs nothing depends on, e.g. hidden ones); inGrad[i] receives
// input i's gradient as req[i] says (nil when req[i] is GradNull). Ctx is
// as for Forward (Train true; Scratch sized by BackwardWorkspace). Kernels
// must not allocate in the steady state.
type BackwardKernel func(ctx *Ctx, params any, in, out, outGrad, inGrad []*tensor.Tensor, req []GradReq) error

// Op is one registered operator. Functions taking params receive the value
// Parse returned for the node (nil when Parse is nil). Nil functions have
// MXNet's defaults; use the methods (Inputs, Outputs, ...) rather than the
// fields to get them applied.
type Op struct {
	// Name is the canonical name written to symbol JSON ("FullyConnected").
	Name string
	// Aliases are other names that resolve to this op ("_Plus", "_npx_...").
	Aliases []string

	// Params documents the declared parameters (nil: the op takes none).
	Params interface{ Fields() []ParamField }
	// Parse turns a node's attribute strings into the op's typed params,
	// following dmlc::Parameter rules: hidden keys (__x__) are skipped,
	// unknown keys and bad values are errors, defaults fill the rest. Nil
	// means the op has no attribute parser and keeps any attributes, as
	// MXNet does for such ops.
	Parse func(attrs map[string]string) (any, error)
	// KeyVarNumArgs names the attribute that Python fills with the number
	// of positional inputs for ops called with a list of inputs ("num_args"
	// for Concat, add_n and UpSampling); "" for other ops.
	KeyVarNumArgs string
	// InputNames lists the inputs in order (FListInputNames), e.g. data,
	// weight, bias for FullyConnected without no_bias. Its length is the
	// number of inputs. Nil means ["data"].
	InputNames func(params any) []string
	// AuxInputs lists the indices of inputs that are auxiliary states
	// (FMutateInputs), e.g. 3 and 4 for BatchNorm.
	AuxInputs func(params any) []int
	// NumOutputs counts all outputs including hidden ones (node_row_ptr).
	// Nil means 1.
	NumOutputs func(params any) int
	// NativeOutputs is NumOutputs in MXNet builds without oneDNN, for the
	// ops whose count depends on the build (Pooling); nil means the same.
	NativeOutputs func(params any) int
	// NumVisibleOutputs counts the outputs a Python symbol exposes
	// (FNumVisibleOutputs). Nil means all outputs.
	NumVisibleOutputs func(params any) int
	// OutputNames names output i ("output", "mean", "var"), like
	// FListOutputNames; nil (or "") means MXNet's default naming
	// ("output", or output0, output1, ...).
	OutputNames func(params any, i int) string
	// InputVarAttrs returns attributes to add (where absent) to a variable
	// used as input i (FSetInputVarAttrOnCompose), e.g. BatchNorm's
	// moving_mean gets {"__init__": "[\"zero\", {}]"}; nil for none.
	InputVarAttrs func(params any, input int) map[string]string

	// InferShape fills unknown entries of in and out from the known ones
	// and checks consistency; it returns nil (leaving entries unknown) when
	// there is not enough information yet. Errors describe the mismatch;
	// the caller adds the node name and op. len(out) is the node's output
	// count (NumOutputs).
	InferShape func(params any, in, out []Shape) error
	// InferType does the same for dtypes (UnknownType = unknown). Nil means
	// every input and output has the same dtype.
	InferType func(params any, in, out []tensor.DType) error
	// InPlace lists (input, output) pairs that may share storage.
	InPlace func(params any) [][2]int
	// Workspace returns the float32 scratch length one goroutine of Forward
	// needs for the given input shapes (nil: none); Ctx.Scratch holds
	// WorkspaceShares (by default Ctx.Threads) times as much.
	Workspace func(params any, in []Shape) int
	// WorkspaceShares returns how many Workspace-sized parts Forward uses
	// with threads goroutines for the given input shapes (its real
	// parallelism); Ctx.Scratch then holds that many parts. Nil means
	// threads parts.
	WorkspaceShares func(params any, in []Shape, threads int) int

	// Forward is the inference/training forward kernel; nil when mxgo can
	// load and print the op but not run it.
	Forward Kernel
	// Backward is the gradient kernel (nil: the op cannot be trained
	// through; loss heads compute their own gradient from the label and
	// ignore outGrad, as MXNet's do).
	Backward BackwardKernel
	// BackwardWorkspace is Workspace for Backward (nil: none).
	BackwardWorkspace func(params any, in []Shape) int
	// Supports reports why Forward cannot run a node with these params
	// and input dtypes (an unsupported layout or dtype), or nil when it
	// can. The executor calls it at Bind so such a graph fails there
	// rather than in every Predict. Nil means any params and dtypes
	// inference accepts.
	Supports func(params any, in []tensor.DType) error
	// PerSample reports whether Forward at inference treats axis 0 as a
	// batch for these params and input shapes: row i of every output is
	// computed from row i of the inputs that carry the batch and from the
	// whole of the others (weights, constants), so a batch may run as
	// separate chunks with the same results. The executor decides which
	// inputs carry the batch (those computed from data inputs) and checks
	// that they and every output lead with the batch dim in every chunk's
	// shapes. Nil means no, which keeps a graph's batch whole.
	PerSample func(params any, in []Shape) bool
}

// SampleWise reports whether the op, with params and these input shapes,
// computes each row of axis 0 independently (see PerSample).
func (op *Op) SampleWise(params any, in []Shape) bool {
	return op.PerSample != nil && op.PerSample(params, in)
}

// perSampleAlways is PerSample for ops that treat every row of axis 0
// alike whatever their params.
func perSampleAlways(any, []Shape) bool { return true }

// notBatchAxis reports whether axis (negative: from the end of ndim dims)
// is some axis other than 0.
func notBatchAxis(axis, ndim int) bool { return axis != 0 && axis != -ndim }

// firstNDim is the rank of in[0] (0 when unknown).
func firstNDim(in []Shape) int {
	if len(in) == 0 {
		return 0
	}
	return len(in[0])
}

// MaxArity bounds num_args and num_outputs (MXNet has no limit): an
// attribute string must not make mxgo allocate millions of inputs or
// outputs for one node.
const MaxArity = 65536

// UnknownType marks a dtype not inferred yet.
const UnknownType tensor.DType = -1

// Inputs returns the op's input names for params (FListInputNames).
func (op *Op) Inputs(params any) []string {
	if op.InputNames == nil {
		return []string{"data"}
	}
	return op.InputNames(params)
}

// Outputs returns the number of outputs including hidden ones.
func (op *Op) Outputs(params any) int {
	if op.NumOutputs == nil {
		return 1
	}
	return op.NumOutputs(params)
}

// VisibleOutputs returns the number of outputs a composed symbol exposes.
func (op *Op) VisibleOutputs(params any) int {
	if op.NumVisibleOutputs == nil {
		return op.Outputs(params)
	}
	return op.NumVisibleOutputs(params)
}

// Aux returns the indices of mutated (auxiliary) inputs.
func (op *Op) Aux(params any) []int {
	if op.AuxInputs == nil {
		return nil
	}
	return op.AuxInputs(params)
}

// OutputName returns the name of output i as MXNet's ListOutputNames does
// (without the node-name prefix): the op's FListOutputNames entry, else
// "output" for single-output ops and "output<i>" otherwise. n is the node's
// total output count.
func (op *Op) OutputName(params any, i, n int) string {
	if op != nil && op.OutputNames != nil {
		if name := op.OutputNames(params, i); name != "" {
			return name
		}
	}
	return defaultOutputName(i, n)
}

// defaultOutputName is MXNet's output name for ops without
// FListOutputNames: "output" when n == 1, else "output<i>".
func defaultOutputName(i, n int) string {
	if n == 1 {
		return "output"
	}
	return "output" + strconv.Itoa(i)
}
