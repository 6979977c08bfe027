//go:build purego || !amd64

package asm

// winoInput has only the Go transform off amd64.
func winoInput(_ string, v []float32, vs int, e, o []float32, ld, th, tw int) {
	winoInputGeneric(v, vs, e, o, ld, th, tw, 0)
}

// winoOutput has only the Go transform off amd64.
func winoOutput(_ string, wide []float32, ldw int, m []float32, ms, th, tw int) {
	winoOutputGeneric(wide, ldw, m, ms, th, tw, 0)
}
