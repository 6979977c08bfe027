package ndarray

import (
	"fmt"
)

// RecordGen is the generation of an MXNet NDArray record (the per-array
// block inside an NDArray list file and the bytes MXNet pickles).
type RecordGen uint8

// The record generations MXNet has written.
const (
	// RecordLegacy is the pre-0.11 record: no magic, u32 ndim and u32 dims.
	RecordLegacy RecordGen = iota
	// RecordV1 (magic 0xF993FAC8, MXNet 0.11) has u32 ndim and i64 dims.
	RecordV1
	// RecordV2 (magic 0xF993FAC9, MXNet 0.12–1.9) adds the storage type.
	RecordV2
	// RecordV3 (magic 0xF993FACA) is V2 with numpy shape semantics:
	// ndim 0 is a scalar and a zero dim is an empty axis.
	RecordV3
)

// Record magics as the u32 at the start of a record.
const (
	MagicV1 uint32 = 0xF993FAC8
	MagicV2 uint32 = 0xF993FAC9
	MagicV3 uint32 = 0xF993FACA
)

var recordGenNames = [...]string{"legacy", "v1", "v2", "v3"}

// String returns "legacy", "v1", "v2" or "v3".
func (g RecordGen) String() string {
	if int(g) < len(recordGenNames) {
		return recordGenNames[g]
	}
	return fmt.Sprintf("RecordGen(%d)", int(g))
}

// StorageType is MXNet's NDArray storage type flag.
type StorageType int32

// The storage types that can appear in a V2 record.
const (
	StorageDefault   StorageType = 0
	StorageRowSparse StorageType = 1
	StorageCSR       StorageType = 2
)

// String returns "default", "row_sparse" or "csr".
func (s StorageType) String() string {
	switch s {
	case StorageDefault:
		return "default"
	case StorageRowSparse:
		return "row_sparse"
	case StorageCSR:
		return "csr"
	}
	return fmt.Sprintf("stype(%d)", int32(s))
}

// numAux is the number of aux arrays (index blocks) a storage type carries,
// or -1 for an unknown type.
func (s StorageType) numAux() int {
	switch s {
	case StorageDefault:
		return 0
	case StorageRowSparse:
		return 1
	case StorageCSR:
		return 2
	}
	return -1
}

// Context device types as stored in records.
const (
	DevCPU = 1
	DevGPU = 2
)

// AuxBlock is one index array of a sparse record (row_sparse idx; csr indptr
// and indices).
type AuxBlock struct {
	DType DType
	Shape []int
	Data  []byte
}

// Record is one NDArray record exactly as stored, so that writing it back
// with AppendRecord reproduces the same bytes.
type Record struct {
	Gen     RecordGen
	Storage StorageType
	// None marks an array without storage: legacy/V1/V2 records with ndim 0,
	// V3 records with a -1 dim. Only the fields up to Shape are meaningful.
	None bool
	// StorageShape is the shape of the value block of a sparse record.
	StorageShape []int
	// Shape is the logical shape (for a V3 none record it holds the -1).
	Shape []int
	// DevType and DevID are the saved context (1, 0 = cpu(0)).
	DevType, DevID int32
	DType          DType
	// Data is the value block: all elements for dense storage, the stored
	// rows (row_sparse) or non-zero values (csr) otherwise.
	Data []byte
	// Aux holds the index arrays of a sparse record.
	Aux []AuxBlock
}

// NewDense returns a dense record of generation gen with context cpu(0)
// holding data (shared, not copied) as an array of dtype dt and shape shape.
func NewDense(gen RecordGen, dt DType, shape []int, data []byte) *Record {
	return &Record{Gen: gen, Shape: append([]int{}, shape...), DevType: DevCPU, DType: dt, Data: data}
}

// SharesData reports whether dtype dt, shape and data are exactly this
// record's dense contents (same dtype, shape and backing bytes), i.e. the
// record still describes the array they make up.
func (r *Record) SharesData(dt DType, shape []int, data []byte) bool {
	if r.None || r.Storage != StorageDefault || dt != r.DType || len(shape) != len(r.Shape) {
		return false
	}
	for i := range r.Shape {
		if r.Shape[i] != shape[i] {
			return false
		}
	}
	if len(data) != len(r.Data) {
		return false
	}
	return len(data) == 0 || &data[0] == &r.Data[0]
}
