// Package executor binds a graph to its parameters and runs it: shape and
// type inference, a memory plan computed once per input-shape class, and
// forward passes that allocate nothing after warm-up and are safe for
// concurrent use.
//
// Bind treats the graph and its shapes as untrusted: attribute values
// outside MXNet's domain, kernels that cannot run (unsupported layouts or
// dtypes), unknown or missing parameter names (see AllowExtra and
// AllowMissing) and plans over the per-call memory limit (WithMemoryLimit,
// DefaultMemoryLimit) are errors at Bind, Reshape or, for new input
// shapes, Predict. float16 and bfloat16 graphs run in float32: their
// weights are converted once at Bind (and SetParams), their inputs per
// call, and their outputs come back in the graph's dtype.
//
// Predict watches its context between operators and, through ops.Ctx,
// inside long kernels (convolution, SGEMM, pooling, upsampling), so a
// cancelled call returns the context's error within milliseconds and never
// reports success after the cancellation. Per-call arenas are pooled per
// input-shape class (at most GOMAXPROCS idle ones, or WithMaxConcurrency's
// bound) and hold no reference to parameters or inputs between calls.
//
// Threads (WithThreads, default GOMAXPROCS): a batch of at least as many
// samples as threads, in a graph whose every operator computes each sample
// on its own (ops.Op.PerSample; PlanInfo reports it), is split into one
// share per goroutine, each running chunks of its samples (sized to the
// core's L2) through the whole network on one thread. Smaller batches and
// other graphs run whole, each kernel splitting its own work. Kernels are
// batch- and thread-invariant, so a sample's outputs are the same bits
// either way.
//
// Bind optimises the graph for inference unless WithOptimize(false):
// BatchNorms are folded into the Convolution or FullyConnected before them
// (the folded weights are derived from the given ones at Bind and
// SetParams; GetParams returns the given ones), residual adds and
// activations become the epilogue of that layer (ops.NewFused), 3×3
// stride-1 convolutions with enough channels and filters (ops.ConvWinograd)
// run on Winograd-transformed weights (derived like the folds), and inference
// no-ops (Dropout, _copy, BlockGrad, make_loss) are dropped.
// Outputs bound with WithOutputs are never optimised away. Results agree
// with the unoptimised graph to float32 rounding.
//
// Training: BindTrain binds a graph for forward and backward passes (MXNet's
// simple_bind with grad_req; a separate Trainer type rather than a Bind
// option, because a training executor owns mutable state — inputs,
// gradients, auxiliary states updated in place — and is not safe for
// concurrent use, unlike Model). Every value the forward pass computes keeps
// its own buffer for backward, and gradient buffers are allocated at bind:
// Forward(ctx, train) and Backward(ctx, headGrads...) allocate nothing.
// grad_req is write (default for parameters), add (accumulate across
// Backward calls; the caller zeroes) or null (default for the inputs given
// in shapes), per argument with WithGradReq. Loss heads (SoftmaxOutput,
// the regression outputs, MakeLoss) generate their own gradient; other
// heads take the caller's head gradients (ones when none are given).
// BatchNorm's moving statistics are updated in place by the training
// backward pass, as MXNet's CPU kernels do. Training is float32 only.
package executor
