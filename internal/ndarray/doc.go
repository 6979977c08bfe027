// Package ndarray is the codec of MXNet's NDArray record: the per-array
// block of an NDArray list file (.params, .nd) and the bytes MXNet pickles
// (MXNDArraySaveRawBytes), in every generation (legacy, v1, v2, v3) and
// storage type (default, row_sparse, csr). FORMATS.md §1.9 gives the layout.
//
// # Why it imports nothing of mxgo
//
// Two packages need the codec: tensor, whose Tensor.MarshalBinary and
// UnmarshalBinary encode one dense record, and serialize, which reads and
// writes whole files. The codec needs neither's types, so it works on a
// record's raw parts: a dtype flag (DType, numbered as MXNet's mshadow type
// flags and so as tensor.DType), a shape, the data bytes, the storage type
// and the index blocks of a sparse record. Both tensor and serialize import
// it and convert at their boundary (tensor.DType(r.DType),
// tensor.FromBytes(...)); no registration hook or import cycle is needed,
// and Tensor.MarshalBinary works whatever else a program links. The tables
// it shares with tensor (dtype sizes and names, MaxNDim, the storage
// alignment) are checked against tensor's by this package's tests.
//
// Being internal, none of this is part of mxgo's public API: users read and
// write files through serialize and single arrays through
// Tensor.MarshalBinary.
//
// Untrusted input is the normal case: ReadRecord checks every size against
// the bytes a Source has left before allocating, reports malformed input as
// a *RecordError with the byte offset, and never panics.
package ndarray
