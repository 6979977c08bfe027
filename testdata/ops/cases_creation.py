"""Golden cases of the creation operators (reference: mxref_creation.py).

Every output value is exact in its dtype ("exact" tolerance), except
_arange in float32, which MXNet evaluates as start + k*step in float32
(two roundings: "arith").
"""

import numpy as np

import mxref_creation  # noqa: F401  (registers the reference)

rng = np.random.default_rng(20261207)


def register(case):
    case("_zeros_2x3", "_zeros", {"shape": "(2, 3)"}, [])
    case("_zeros_int32", "_zeros", {"shape": "(4,)", "dtype": "int32"}, [], out_dtypes=["int32"])
    case("_npi_zeros_3d", "_npi_zeros", {"shape": "(1, 2, 5)", "dtype": "float64"}, [], out_dtypes=["float64"])
    case("_zeros_without_dtype_flag4", "_zeros_without_dtype", {"shape": "(2, 2)", "dtype": "4"}, [],
         out_dtypes=["int32"])
    case("_ones_default", "_ones", {"shape": "(3, 1, 2)"}, [])
    case("_ones_bool", "_ones", {"shape": "(2, 2)", "dtype": "bool"}, [], out_dtypes=["bool"])
    case("_ones_uint8_ctx", "_ones", {"shape": "(5,)", "dtype": "uint8", "ctx": "cpu(0)"}, [], out_dtypes=["uint8"])
    case("_npi_ones_int64", "_npi_ones", {"shape": "(2, 3)", "dtype": "int64"}, [], out_dtypes=["int64"])
    case("_full_value", "_full", {"shape": "(2, 4)", "value": "2.5"}, [])
    case("_full_negative_int8", "_full", {"shape": "(3,)", "value": "-7", "dtype": "int8"}, [], out_dtypes=["int8"])
    case("_full_float16", "_full", {"shape": "(2, 2)", "value": "0.375", "dtype": "float16"}, [],
         out_dtypes=["float16"])
    case("_npi_full_scalar", "_npi_full", {"shape": "(1,)", "value": "-3"}, [])
    case("_full_int32_truncates", "_full", {"shape": "(2,)", "value": "3.75", "dtype": "int32"}, [],
         out_dtypes=["int32"])

    case("_arange_stop_only", "_arange", {"start": "7"}, [], "arith")
    case("_arange_start_stop_step", "_arange", {"start": "1.5", "stop": "6.2", "step": "0.5"}, [], "arith")
    case("_arange_negative_step", "_arange", {"start": "10", "stop": "2", "step": "-3"}, [], "arith")
    case("_arange_repeat", "_arange", {"start": "2", "stop": "5", "repeat": "3"}, [], "arith")
    case("_arange_int32", "_arange", {"start": "-4", "stop": "9", "step": "2", "dtype": "int32"}, [],
         out_dtypes=["int32"])
    case("_arange_float64_fraction", "_arange", {"start": "0.1", "stop": "1.0", "step": "0.3", "dtype": "float64"},
         [], out_dtypes=["float64"])
    case("_arange_int64_repeat", "_arange", {"start": "0", "stop": "4", "repeat": "2", "dtype": "int64"}, [],
         out_dtypes=["int64"])
    case("_npi_arange_basic", "_npi_arange", {"start": "3", "stop": "11", "step": "2"}, [], "arith")
    case("_npi_arange_empty", "_npi_arange", {"start": "5", "stop": "1"}, [])

    case("zeros_like_3d", "zeros_like", {}, [rng.uniform(-2, 2, (2, 3, 4)).astype(np.float32)])
    case("ones_like_2d", "ones_like", {}, [rng.uniform(-2, 2, (3, 5)).astype(np.float32)])
    case("ones_like_int32", "ones_like", {}, [np.arange(6, dtype=np.int32).reshape(2, 3)], out_dtypes=["int32"])
    case("shape_array_4d", "shape_array", {}, [np.zeros((2, 3, 1, 5), np.float32)], out_dtypes=["int64"])
    case("shape_array_1d", "shape_array", {}, [np.zeros((7,), np.float32)], out_dtypes=["int64"])
    case("size_array_3d", "size_array", {}, [np.zeros((2, 3, 4), np.float32)], out_dtypes=["int64"])
    case("size_array_empty", "size_array", {}, [np.zeros((2, 0), np.float32)], out_dtypes=["int64"])

    idx = np.array([[0, 2, 4], [-1, 5, 1.7], [-0.5, 3, np.nan], [4.99, 1e10, -3]], np.float32)
    case("one_hot_default", "one_hot", {"depth": "5"}, [idx])
    case("one_hot_on_off", "one_hot", {"depth": "4", "on_value": "2.5", "off_value": "-1"},
         [np.array([3, 0, 1, 3, 2], np.float32)])
    case("one_hot_int32_indices_int64_out", "one_hot", {"depth": "3", "dtype": "int64"},
         [np.array([[2, 0], [1, 7]], np.int32)], out_dtypes=["int64"])
    case("one_hot_alias_depth1", "_npx_one_hot", {"depth": "1", "on_value": "9"}, [np.array([0, 1, -1, 0], np.float32)])
    case("one_hot_depth0", "one_hot", {"depth": "0"}, [np.array([0, 1], np.float32)])
