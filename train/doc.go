// Package train holds MXNet 1.9.1's training stack: Module (module.go: Bind,
// InitParams, InitOptimizer, Forward/Backward/Update, Get/SetParams, Fit,
// Score, SaveCheckpoint, LoadModule) on executor.BindTrain, and the parts
// that do not depend on backward: optimizers with MXNet's exact update formulas and
// update counting, learning-rate schedulers, initializers with MXNet's name
// rules, evaluation metrics, data iterators (NDArrayIter, IDX files) and
// batch-/epoch-end callbacks. A Module/Fit built on an executor's backward
// pass drives these types the way MXNet's Module drives its Python
// counterparts:
//
//   - parameters: for each argument that is not data or label, in the
//     symbol's ListArguments order, ParamInit.Init(name, attrs[name], array)
//     with attrs = sym.AttrDict() (Module.init_params: `__init__`
//     attributes win over the name rules); auxiliary states likewise.
//   - optimizer: CreateForModule(name, paramNames, batchSize, sym.AttrDict(), kwargs)
//     (Module.init_optimizer with an optimizer name: rescale_grad =
//     1/batch_size, wd_mult 0 for names not ending in _weight/_gamma,
//     __lr_mult__/__wd_mult__ attributes), then NewUpdater(opt).
//   - each batch: DataIter.Next, forward/backward, Metric.Update(labels,
//     outputs), Updater.Update(indices, weights, grads) with indices the
//     positions in paramNames of the parameters that have gradients (what
//     Module's _update_params passes on one device), then the
//     BatchEndCallbacks with BatchEndParam{Epoch, NBatch, EvalMetric}.
//   - each epoch: the EpochEndCallbacks (e.g. DoCheckpoint) with the
//     parameters, then DataIter.Reset.
//   - optimizer states: Updater.States() is MXNet's Updater.states, index →
//     None | NDArray | tuple, exactly what a .states pickle holds;
//     Updater.SetStates restores them.
//   - multi-precision (Options.MultiPrecision, the multi_precision
//     keyword, Module.MultiPrecision): float16 weights get a float32
//     master copy, State.Master, pickled as MXNet's (state, weight32)
//     pair; the optimizer's float32 kernel updates the copy and the weight
//     receives it rounded to float16. Restored multi-precision states of
//     float32 weights resume in float32 from the master copy.
//
// All tensors handled here are float32 (*tensor.Tensor) unless noted
// (multi-precision float16 weights);
// optimizer kernels compute in float32 like MXNet's CPU kernels, with
// hyper-parameters rounded to float32 where MXNet's operator parameters
// are float32, and the learning-rate arithmetic of MXNet's Python (Adam's
// bias correction, schedules, multipliers) in float64. Random numbers
// (initializers, shuffling) come from math/rand/v2's PCG with a seed: the
// distributions are MXNet's, the streams are not.
package train
