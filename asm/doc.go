// Package asm holds mxgo's float32 compute kernels: a packed, cache-blocked,
// multi-threaded SGEMM, a small-M GEMV path, and the vector kernels the
// operators use (activations, softmax rows, reductions, elementwise
// arithmetic, float16 conversion).
//
// Each kernel family has Go assembly for amd64 (AVX2+FMA) and arm64 (NEON)
// and an always-compiled pure-Go twin that is the reference in tests. One
// implementation is selected at start-up from the CPU features reported by
// github.com/klauspost/cpuid/v2:
//
//	avx2     amd64 with AVX2 and FMA3
//	neon     arm64 (ASIMD is mandatory there)
//	generic  pure Go, everywhere
//
// The environment variable MXGO_KERNELS=generic (or the name of another
// available implementation) overrides the choice at start-up, and the
// purego build tag compiles the generic path only. Impls lists what this
// machine can run and SetImpl switches implementation, e.g. in tests and
// benchmarks that compare implementations side by side.
package asm
