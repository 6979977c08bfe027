// Package openblas compares asm.Sgemm with OpenBLAS's cblas_sgemm, both
// single-threaded, in one process. It needs cgo and Debian's
// libopenblas-dev and builds only with the openblas tag:
//
//	go test -tags openblas -run '^$' -bench . ./bench/openblas/
//	./bench/openblas/compare.sh     # the same, summarised as ratios
//
// The mxgo library itself never uses cgo; this package is a measuring stick.
package openblas
