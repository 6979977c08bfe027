#!/usr/bin/python3
"""Exports the models of the ONNX Runtime comparison (compare.sh) to ONNX.

    /usr/bin/python3 bench/ort/export.py OUTDIR        # needs Debian python3-torch

Each MXNet checkpoint is read (symbol JSON + .params, with the readers of
testdata/models/gen_models.py) and rebuilt as a PyTorch module node by node
(MXNetModule below), so the ONNX file has the same layers AND the same
weights as what mxgo runs, and the two engines' outputs can be compared:

  mlp          MLP 784-512-512-10 (ReLU, SoftmaxOutput). No MXNet checkpoint
               of that shape is bundled, so this script writes one to OUTDIR
               (mlp-symbol.json, mlp-0000.params; seeded random weights).
  resnet20     testdata/mxnet/gluoncv-cifar-resnet20-v1 (GluonCV checkpoint)
  genderage    testdata/mxnet/insightface-gender-age (InsightFace MobileNet-0.25
               face network: 13 depthwise 3x3 convolutions, 112x112 input)
  tiny         a 4x4 Linear: its latency is the binding's per-call overhead

For each model it also writes NAME-input.npy (seeded, batch 1) and prints the
max abs difference between PyTorch's output and the float64 reference of
testdata/ops/mxref.py, a check of this builder. compare.sh then runs the same
input through mxgo and ONNX Runtime and prints their max abs difference.
"""

import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "testdata", "models"))
sys.path.insert(0, os.path.join(ROOT, "testdata", "ops"))
sys.dont_write_bytecode = True
import gen_models  # noqa: E402  (symbol/params readers, float64 forward)
import mxref  # noqa: E402

MX = os.path.join(ROOT, "testdata", "mxnet")


def tup(s):
    return tuple(mxref.p_tuple(s))


def opt(a, key, default):
    """A tuple attribute, or default when absent (MXNet's empty tuple)."""
    return tup(a[key]) if a.get(key) not in (None, "()", "[]") else default


class MXNetModule(torch.nn.Module):
    """Evaluates an MXNet symbol (inference semantics) with torch ops.

    Supports the ops of the compared models: Convolution (groups, stride,
    pad, dilate), BatchNorm (fix_gamma, eps, axis 1), Activation, LeakyReLU
    (prelu, leaky), Pooling (max/avg, global), Flatten, FullyConnected,
    elemwise_add/_Plus/broadcast_add, _minus_scalar/_mul_scalar/_plus_scalar,
    SoftmaxOutput/softmax. Anything else raises."""

    def __init__(self, nodes, heads, params, input_name="data"):
        super().__init__()
        self.nodes, self.heads, self.input_name = nodes, heads, input_name
        self.keys = {}
        for n in nodes:
            if n["op"] != "null" or n["name"] == input_name:
                continue
            for key in ("arg:" + n["name"], "aux:" + n["name"], n["name"]):
                if key in params:
                    buf = "p%d" % len(self.keys)
                    self.register_buffer(buf, torch.from_numpy(np.asarray(params[key], np.float32).copy()))
                    self.keys[n["name"]] = buf
                    break

    def forward(self, x):
        vals = {}
        for i, n in enumerate(self.nodes):
            op, a = n["op"], gen_models.op_attrs(n["attrs"])
            if op == "null":
                if n["name"] == self.input_name:
                    vals[i] = x
                elif n["name"] in self.keys:
                    vals[i] = getattr(self, self.keys[n["name"]])
                else:
                    vals[i] = None  # a loss label: unused at inference
                continue
            ins = [vals[j] for j, _ in n["inputs"]]
            vals[i] = self.op(op, a, ins)
        return [vals[nid] for nid, _ in self.heads]

    @staticmethod
    def op(op, a, ins):
        b = lambda k, d: mxref.p_bool(a.get(k), d)  # noqa: E731
        if op == "Convolution":
            if len(tup(a["kernel"])) != 2:
                _unsupported(op, a)
            bias = None if b("no_bias", False) else ins[2]
            return F.conv2d(ins[0], ins[1], bias, opt(a, "stride", 1), opt(a, "pad", 0), opt(a, "dilate", 1),
                            int(a.get("num_group", 1)))
        if op == "BatchNorm":
            if int(a.get("axis", 1)) != 1:
                _unsupported(op, a)
            gamma = torch.ones_like(ins[1]) if b("fix_gamma", True) else ins[1]
            return F.batch_norm(ins[0], ins[3], ins[4], gamma, ins[2], False, 0.0, float(a.get("eps", 1e-3)))
        if op == "Activation":
            f = {"relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}.get(a["act_type"])
            return f(ins[0]) if f else _unsupported(op, a)
        if op == "LeakyReLU":
            t = a.get("act_type", "leaky")
            if t == "prelu":
                return F.prelu(ins[0], ins[1])
            if t == "leaky":
                return F.leaky_relu(ins[0], float(a.get("slope", 0.25)))
            return _unsupported(op, a)
        if op == "Pooling":
            t = a.get("pool_type", "max")
            if b("global_pool", False):
                return ins[0].mean((2, 3), keepdim=True) if t == "avg" else ins[0].amax((2, 3), keepdim=True)
            if a.get("pooling_convention", "valid") != "valid":
                _unsupported(op, a)
            k, s, p = tup(a["kernel"]), opt(a, "stride", 1), opt(a, "pad", 0)
            if t == "max":
                return F.max_pool2d(ins[0], k, s, p)
            if t == "avg":
                return F.avg_pool2d(ins[0], k, s, p, count_include_pad=b("count_include_pad", True))
            return _unsupported(op, a)
        if op == "Flatten":
            return torch.flatten(ins[0], 1)
        if op == "FullyConnected":
            x = torch.flatten(ins[0], 1) if b("flatten", True) else ins[0]
            return F.linear(x, ins[1], None if b("no_bias", False) else ins[2])
        if op in ("elemwise_add", "_Plus", "_plus", "broadcast_add"):
            return ins[0] + ins[1]
        if op == "_minus_scalar":
            return ins[0] - float(a["scalar"])
        if op == "_plus_scalar":
            return ins[0] + float(a["scalar"])
        if op == "_mul_scalar":
            return ins[0] * float(a["scalar"])
        if op == "softmax":
            return torch.softmax(ins[0], int(a.get("axis", -1)))
        if op in ("SoftmaxOutput", "SoftmaxActivation") and ins[0].dim() == 2:
            return torch.softmax(ins[0], 1)
        return _unsupported(op, a)


def _unsupported(op, a):
    raise NotImplementedError("MXNetModule: %s %s" % (op, a))


def write_params(path, params):
    """An MXNet V2 NDArray list file (the format mx.nd.save writes)."""
    names = sorted(params)
    b = bytearray(struct.pack("<QQQ", 0x112, 0, len(names)))
    for k in names:
        v = np.ascontiguousarray(params[k], dtype="<f4")
        b += struct.pack("<IiI", 0xF993FAC9, 0, v.ndim) + struct.pack("<%dq" % v.ndim, *v.shape)
        b += struct.pack("<iii", 1, 0, 0) + v.tobytes()
    b += struct.pack("<Q", len(names))
    for k in names:
        b += struct.pack("<Q", len(k)) + k.encode()
    with open(path, "wb") as f:
        f.write(bytes(b))


def write_mlp(out):
    """MLP 784-512-512-10 as MXNet's symbol API writes it, seeded weights."""
    nodes, params = [{"op": "null", "name": "data", "inputs": []}], {}
    rng = np.random.default_rng(1)
    prev, fan_in = 0, 784
    for i, h in enumerate([512, 512, 10]):
        fc = "fc%d" % (i + 1)
        nodes += [{"op": "null", "name": fc + "_weight", "inputs": []},
                  {"op": "null", "name": fc + "_bias", "inputs": []}]
        nodes.append({"op": "FullyConnected", "name": fc, "attrs": {"num_hidden": str(h)},
                      "inputs": [[prev, 0, 0], [len(nodes) - 2, 0, 0], [len(nodes) - 1, 0, 0]]})
        params["arg:%s_weight" % fc] = rng.standard_normal((h, fan_in)) * np.sqrt(2.0 / fan_in)
        params["arg:%s_bias" % fc] = rng.standard_normal(h) * 0.05
        prev, fan_in = len(nodes) - 1, h
        if i < 2:
            nodes.append({"op": "Activation", "name": "relu%d" % (i + 1), "attrs": {"act_type": "relu"},
                          "inputs": [[prev, 0, 0]]})
            prev = len(nodes) - 1
    nodes.append({"op": "null", "name": "softmax_label", "inputs": []})
    nodes.append({"op": "SoftmaxOutput", "name": "softmax", "inputs": [[prev, 0, 0], [len(nodes) - 1, 0, 0]]})
    args = [i for i, n in enumerate(nodes) if n["op"] == "null"]
    sym = {"nodes": nodes, "arg_nodes": args, "node_row_ptr": list(range(len(nodes) + 1)),
           "heads": [[len(nodes) - 1, 0, 0]], "attrs": {"mxnet_version": ["int", 10901]}}
    with open(os.path.join(out, "mlp-symbol.json"), "w") as f:
        json.dump(sym, f, indent=2)
    write_params(os.path.join(out, "mlp-0000.params"), params)
    return os.path.join(out, "mlp-symbol.json"), os.path.join(out, "mlp-0000.params")


def export(name, module, shape, out, rng, sym=None, params=None):
    module.eval()
    x = rng.uniform(0, 1, size=shape).astype(np.float32)
    if name == "genderage":
        x *= 255.0  # pixels
    np.save(os.path.join(out, name + "-input.npy"), x)
    with torch.no_grad():
        y = module(torch.from_numpy(x))
        y = y[0] if isinstance(y, list) else y
        torch.onnx.export(module, torch.from_numpy(x), os.path.join(out, name + ".onnx"),
                          input_names=["data"], output_names=["out"],
                          dynamic_axes={"data": {0: "b"}, "out": {0: "b"}}, opset_version=13)
    msg = "exported %s" % name
    if sym is not None:
        nodes, heads = gen_models.load_symbol(sym)
        ref = gen_models.forward(nodes, gen_models.read_params(params), {"data": x})[heads[0]]
        diff, top = float(np.max(np.abs(y.numpy() - ref))), float(np.max(np.abs(ref)))
        msg += ": PyTorch vs float64 reference max abs diff %.3g (max |y| %.3g)" % (diff, top)
        if diff > 1e-4 * top + 1e-6:  # the model goldens' tolerance
            raise SystemExit(msg + ": the PyTorch rebuild disagrees with the MXNet reference")
    print(msg, flush=True)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    rng = np.random.default_rng(20261206)
    mlp = write_mlp(out)
    models = [
        ("mlp", mlp, (1, 784)),
        ("resnet20", (os.path.join(MX, "gluoncv-cifar-resnet20-v1", "cifar_resnet20_v1-symbol.json"),
                      os.path.join(MX, "gluoncv-cifar-resnet20-v1", "cifar_resnet20_v1-0000.params")), (1, 3, 32, 32)),
        ("genderage", (os.path.join(MX, "insightface-gender-age", "model-symbol.json"),
                       os.path.join(MX, "insightface-gender-age", "model-0000.params")), (1, 3, 112, 112)),
    ]
    for name, (sym, params), shape in models:
        nodes, heads = gen_models.load_symbol(sym)
        export(name, MXNetModule(nodes, heads, gen_models.read_params(params)), shape, out, rng, sym, params)
    export("tiny", torch.nn.Linear(4, 4), (1, 4), out, rng)


if __name__ == "__main__":
    main()
