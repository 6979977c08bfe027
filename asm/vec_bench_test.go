package asm

import (
	"fmt"
	"testing"
)

// BenchmarkVec measures each vector kernel per implementation in GB/s
// (bytes read and written).
func BenchmarkVec(b *testing.B) {
	type bench struct {
		name    string
		streams int // slices touched per element
		run     func(dst, x, y []float32)
	}
	benches := []bench{
		{"relu", 2, func(d, x, _ []float32) { Relu(d, x) }},
		{"exp", 2, func(d, x, _ []float32) { Exp(d, x) }},
		{"sigmoid", 2, func(d, x, _ []float32) { Sigmoid(d, x) }},
		{"tanh", 2, func(d, x, _ []float32) { Tanh(d, x) }},
		{"gelu", 2, func(d, x, _ []float32) { Gelu(d, x) }},
		{"softmax", 2, func(d, x, _ []float32) { Softmax(d, x, 1) }},
		{"axpy", 3, func(d, x, _ []float32) { Axpy(d, x, 0.5) }},
		{"add", 3, func(d, x, y []float32) { Add(d, x, y) }},
		{"sum", 1, func(_, x, _ []float32) { _ = Sum(x) }},
		{"dot", 2, func(_, x, y []float32) { _ = Dot(x, y) }},
	}
	for _, bc := range benches {
		for _, n := range []int{256, 4096, 65536} {
			x, y, d := make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range x {
				x[i], y[i] = float32(i%17)*0.1-0.8, float32(i%5)+1
			}
			ForEachImpl(func(impl string) {
				b.Run(fmt.Sprintf("op=%s/n=%d/impl=%s", bc.name, n, impl), func(b *testing.B) {
					b.ReportAllocs()
					b.SetBytes(int64(4 * n * bc.streams))
					for b.Loop() {
						bc.run(d, x, y)
					}
				})
			})
		}
	}
}
