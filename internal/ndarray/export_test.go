package ndarray

// Internals the external tests compare with package tensor's.
const NumDTypes = numDTypes
