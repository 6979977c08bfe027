#!/usr/bin/python3
"""Golden Python pickles of MXNet NDArrays for mxgo's serialize package.

MXNet is not installed here, so this script defines a pure-Python stand-in
for mxnet.ndarray.ndarray.NDArray whose __reduce__/__getstate__/__setstate__
are MXNet 1.9.1's (python/mxnet/ndarray/ndarray.py at tag 1.9.1):

    def __reduce__(self):
        return NDArray, (None,), self.__getstate__()
    def __getstate__(self):
        ... this['handle'] = ctypes2buffer(<MXNDArraySaveRawBytes>)  # a bytearray
    def __setstate__(self, state): ... MXNDArrayLoadFromRawBytes(state['handle'])

The raw bytes are the array's single V2 record (FORMATS.md §1.2, §1.8) with
context cpu(0), built here with struct from the numpy array, so the pickle
bytes are exactly what pickle.dumps writes for a real MXNet NDArray.

Files (regenerate with `/usr/bin/python3 testdata/pickle/gen_pickle.py [OUTDIR]`):
  nd_p{2,3,4,5}.pkl    pkl.dumps(nd, protocol=P) of one float32 (2,3) array
  nested_p4.pkl        [a, b, (c, None), {'w': d, 3: 'x', 'f': 1.5, 't': True}]
  nested_p2.pkl        the same at protocol 2
  np_ndarray_p4.pkl    [np(2,3), np scalar] of mx.np.ndarray (V3 records)
  big_p{2,4,5}.pkl     a 130x130 float32 array (67.6 KB > the 64 KiB frame target: BINBYTES outside frames)
  handle_bytes_p4.pkl  a float32 array whose state holds bytes, not bytearray
  sgd-0001.states      Updater.get_states() for SGD with momentum:
                       {0: m0, 1: m1, 2: None} (pickle.dumps default protocol 4)
  adam-0001.states     {0: (mean, var), 1: (mean, var)}
  rmsprop-0001.states  {0: (n,)} (non-centered RMSProp: a one-element tuple)
  sgd_mp-0001.states, sgd_mp_nomom-0001.states, adam_mp-0001.states
                       multi_precision=True states of float16 weights:
                       {0: (m0, w32_0), 1: (m1, w32_1)}, {0: (None, w32)},
                       {0: ((mean, var), w32)} (create_state_multi_precision)
  expected.npz         every array above by name (numpy writes it)
  nomemo/*.pkl         the same objects pickled by pickle._Pickler at protocol 4
                       with fast=True (no memo) and FRAME opcodes removed: what
                       mxgo's WritePickle must write byte for byte
  `gen_pickle.py load FILE` unpickles FILE with the stand-in (which decodes
  the record as MXNDArrayLoadFromRawBytes would) and prints it as JSON.
  bad_os_system_p2.pkl, bad_os_system_p4.pkl   a pickle calling os.system via
                       GLOBAL / STACK_GLOBAL (never loaded here or in mxgo)
"""
import io
import os
import pickle
import pickletools
import struct
import sys
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = HERE  # gen_pickle.py OUTDIR writes there instead (make goldens-check)
FLAGS = {np.dtype('float32'): 0, np.dtype('float64'): 1, np.dtype('float16'): 2,
         np.dtype('uint8'): 3, np.dtype('int32'): 4, np.dtype('int8'): 5, np.dtype('int64'): 6}


def v2_record(a, magic=0xF993FAC9):
    """MXNDArraySaveRawBytes of a dense cpu(0) array (NDArray::Save: V2, or
    V3 = 0xF993FACA with the same layout when np shape semantics are on)."""
    a = np.asarray(a, order='C')  # (ascontiguousarray would make a 0-dim array 1-dim)
    b = struct.pack('<Iii', magic, 0, a.ndim)
    b += struct.pack('<%dq' % a.ndim, *a.shape)
    b += struct.pack('<iii', 1, 0, FLAGS[a.dtype])
    return b + a.astype(a.dtype.newbyteorder('<')).tobytes()


def from_record(raw):
    """MXNDArrayLoadFromRawBytes of a dense V2/V3 record (numpy array)."""
    assert isinstance(raw, bytearray), type(raw)  # MXNet needs a writable buffer
    magic, stype, ndim = struct.unpack_from('<Iii', raw, 0)
    assert magic in (0xF993FAC9, 0xF993FACA) and stype == 0, (hex(magic), stype)
    shape = struct.unpack_from('<%dq' % ndim, raw, 12)
    off = 12 + 8 * ndim
    dev, devid, flag = struct.unpack_from('<iii', raw, off)
    dt = {v: k for k, v in FLAGS.items()}[flag].newbyteorder('<')
    a = np.frombuffer(bytes(raw[off + 12:]), dtype=dt).reshape(shape)
    return a


def describe(v):
    """A JSON-able description of an unpickled value (for mxgo's tests)."""
    if isinstance(v, NDArray):
        return {'ndarray': str(v._np.dtype), 'shape': list(v._np.shape),
                'data': [float(x) for x in v._np.ravel()]}
    if isinstance(v, tuple):
        return {'tuple': [describe(x) for x in v]}
    if isinstance(v, list):
        return {'list': [describe(x) for x in v]}
    if isinstance(v, dict):
        return {'dict': [[describe(k), describe(x)] for k, x in v.items()]}
    if isinstance(v, (bytes, bytearray)):
        return {type(v).__name__: list(v)}
    return {type(v).__name__: v}


mx = types.ModuleType('mxnet')
mx_nd = types.ModuleType('mxnet.ndarray')
mx_ndnd = types.ModuleType('mxnet.ndarray.ndarray')
mx.ndarray = mx_nd
mx_nd.ndarray = mx_ndnd
sys.modules.update({'mxnet': mx, 'mxnet.ndarray': mx_nd, 'mxnet.ndarray.ndarray': mx_ndnd})


class NDArray(object):
    """Stand-in with MXNet 1.9.1's pickling methods."""
    __slots__ = ['handle', 'writable', '_np', '_as_bytes']

    def __init__(self, handle, writable=True):
        self.handle = handle
        self.writable = writable
        self._as_bytes = False

    def __reduce__(self):
        return NDArray, (None,), self.__getstate__()

    def __getstate__(self):
        this = {'handle': None}
        if self.handle is not None:
            raw = v2_record(self._np)
            this['handle'] = bytes(raw) if self._as_bytes else bytearray(raw)
        return this

    def __setstate__(self, state):
        self.handle = state['handle']
        self._np = None if self.handle is None else from_record(self.handle)


NDArray.__module__ = 'mxnet.ndarray.ndarray'
mx_ndnd.NDArray = NDArray

mx_np = types.ModuleType('mxnet.numpy')
mx_npm = types.ModuleType('mxnet.numpy.multiarray')
mx.numpy = mx_np
mx_np.multiarray = mx_npm
sys.modules.update({'mxnet.numpy': mx_np, 'mxnet.numpy.multiarray': mx_npm})


class ndarray(NDArray):
    """Stand-in for mx.np.ndarray (python/mxnet/numpy/multiarray.py at 1.9.1:
    __reduce__ returns ndarray, (None,), self.__getstate__()); under mx.np the
    np shape semantics are on, so NDArray::Save writes V3 records."""
    __slots__ = []

    def __reduce__(self):
        return ndarray, (None,), self.__getstate__()

    def __getstate__(self):
        return {'handle': bytearray(v2_record(self._np, magic=0xF993FACA))}


ndarray.__module__ = 'mxnet.numpy.multiarray'
mx_npm.ndarray = ndarray


def nd(a, as_bytes=False, cls=NDArray):
    x = cls(1)
    x._np = np.asarray(a)
    x._as_bytes = as_bytes
    return x


def nomemo(obj):
    """protocol 4 without memo (fast mode) and without FRAME opcodes."""
    f = io.BytesIO()
    p = pickle._Pickler(f, protocol=4)
    p.fast = True
    p.dump(obj)
    data = f.getvalue()
    out = bytearray()
    ops = list(pickletools.genops(data))
    for i, (op, arg, pos) in enumerate(ops):
        end = ops[i + 1][2] if i + 1 < len(ops) else len(data)
        if op.name in ('FRAME', 'MEMOIZE', 'PUT', 'BINPUT', 'LONG_BINPUT'):
            continue
        assert op.name not in ('GET', 'BINGET', 'LONG_BINGET')
        out += data[pos:end]
    return bytes(out)


def main():
    rng = np.random.default_rng(20261206)
    arrays = {
        'a': np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5,
        'b': rng.integers(-1000, 1000, size=(4,), dtype=np.int32),
        'c': rng.standard_normal((2, 2, 2)).astype(np.float16),
        'd': rng.standard_normal((3, 1)),
        'hb': rng.standard_normal((5,)).astype(np.float32),
        'sgd_m0': rng.standard_normal((3, 4)).astype(np.float32),
        'sgd_m1': rng.standard_normal((3,)).astype(np.float32),
        'adam_mean0': rng.standard_normal((2, 3)).astype(np.float32),
        'adam_var0': rng.random((2, 3)).astype(np.float32),
        'adam_mean1': rng.standard_normal((3,)).astype(np.float32),
        'adam_var1': rng.random((3,)).astype(np.float32),
        'rms_n0': rng.random((4, 2)).astype(np.float32),
        'np_a': rng.standard_normal((2, 3)).astype(np.float32),
        'np_scalar': np.array(3.5, dtype=np.float32),
        'big': rng.standard_normal((130, 130)).astype(np.float32),
        'mp_m0': rng.standard_normal((3, 4)).astype(np.float32),
        'mp_w0': rng.standard_normal((3, 4)).astype(np.float32),
        'mp_m1': rng.standard_normal((3,)).astype(np.float32),
        'mp_w1': rng.standard_normal((3,)).astype(np.float32),
        'mp_adam_mean': rng.standard_normal((2, 2)).astype(np.float32),
        'mp_adam_var': rng.random((2, 2)).astype(np.float32),
        'mp_adam_w': rng.standard_normal((2, 2)).astype(np.float32),
    }
    A = {k: nd(v) for k, v in arrays.items()}
    objs = {
        'nested': [A['a'], A['b'], (A['c'], None), {'w': A['d'], 3: 'x', 'f': 1.5, 't': True}],
        'sgd': {0: A['sgd_m0'], 1: A['sgd_m1'], 2: None},
        'adam': {0: (A['adam_mean0'], A['adam_var0']), 1: (A['adam_mean1'], A['adam_var1'])},
        'rmsprop': {0: (A['rms_n0'],)},
        # multi_precision=True with float16 weights: create_state_multi_precision
        # returns (create_state(weight32), weight32).
        'sgd_mp': {0: (A['mp_m0'], A['mp_w0']), 1: (A['mp_m1'], A['mp_w1'])},
        'sgd_mp_nomom': {0: (None, A['mp_w1'])},
        'adam_mp': {0: ((A['mp_adam_mean'], A['mp_adam_var']), A['mp_adam_w'])},
    }

    def write(name, data):
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(data)

    for p in (2, 3, 4, 5):
        write('nd_p%d.pkl' % p, pickle.dumps(A['a'], protocol=p))
    write('nested_p4.pkl', pickle.dumps(objs['nested'], protocol=4))
    write('nested_p2.pkl', pickle.dumps(objs['nested'], protocol=2))
    write('np_ndarray_p4.pkl', pickle.dumps([nd(arrays['np_a'], cls=ndarray),
                                             nd(arrays['np_scalar'], cls=ndarray)], protocol=4))
    for p in (2, 4, 5):
        write('big_p%d.pkl' % p, pickle.dumps(A['big'], protocol=p))
    write('handle_bytes_p4.pkl', pickle.dumps(nd(arrays['hb'], as_bytes=True), protocol=4))
    # Updater.get_states(): pickle.dumps(self.states) at the default protocol.
    for k in ('sgd', 'adam', 'rmsprop', 'sgd_mp', 'sgd_mp_nomom', 'adam_mp'):
        write('%s-0001.states' % k, pickle.dumps(objs[k]))
    os.makedirs(os.path.join(OUT, 'nomemo'), exist_ok=True)
    write('nomemo/nd.pkl', nomemo(A['a']))
    for k, v in objs.items():
        write('nomemo/%s.pkl' % k, nomemo(v))
    np.savez(os.path.join(OUT, 'expected.npz'), **arrays)

    class Evil(object):
        def __reduce__(self):
            return os.system, ('echo pwned',)
    write('bad_os_system_p2.pkl', pickle.dumps(Evil(), protocol=2))
    write('bad_os_system_p4.pkl', pickle.dumps([A['a'], Evil()], protocol=4))


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'load':
        # Load a pickle mxgo wrote (trusted: written by the test itself).
        import json
        with open(sys.argv[2], 'rb') as f:
            print(json.dumps(describe(pickle.load(f))))
    else:
        if len(sys.argv) == 2:
            OUT = sys.argv[1]
            os.makedirs(OUT, exist_ok=True)
        main()
