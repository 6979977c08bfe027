//go:build purego || !amd64

package asm

// dwRow9For has only the Go kernel off amd64 (arm64 runs it too: no NEON
// twin yet).
func dwRow9For(string) func([]float32, *[9][]float32, *[9]float32, float32) {
	return dwRow9Generic
}
