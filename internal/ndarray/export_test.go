package ndarray

// Internals the external tests compare with package tensor's.
var (
	NumElements  = numElements
	ShapeString  = shapeString
	AlignedBytes = alignedBytes
)

const (
	NumDTypes     = numDTypes
	Align         = align
	MaxAllocBytes = maxAllocBytes
)
