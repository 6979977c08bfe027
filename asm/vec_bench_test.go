package asm

import (
	"fmt"
	"testing"
)

// BenchmarkVec measures each vector kernel per implementation in GB/s
// (bytes read and written), e.g. BenchmarkVec/op=relu/n=4096/impl=avx2.
func BenchmarkVec(b *testing.B) {
	type bench struct {
		name  string
		bytes int // bytes read and written per element
		run   func(d, x, y []float32, h []uint16)
	}
	benches := []bench{
		{"relu", 8, func(d, x, _ []float32, _ []uint16) { Relu(d, x) }},
		{"leakyrelu", 8, func(d, x, _ []float32, _ []uint16) { LeakyRelu(d, x, 0.1) }},
		{"clip", 8, func(d, x, _ []float32, _ []uint16) { Clip(d, x, -0.5, 0.5) }},
		{"exp", 8, func(d, x, _ []float32, _ []uint16) { Exp(d, x) }},
		{"log", 8, func(d, _, y []float32, _ []uint16) { Log(d, y) }},
		{"sigmoid", 8, func(d, x, _ []float32, _ []uint16) { Sigmoid(d, x) }},
		{"tanh", 8, func(d, x, _ []float32, _ []uint16) { Tanh(d, x) }},
		{"softrelu", 8, func(d, x, _ []float32, _ []uint16) { SoftRelu(d, x) }},
		{"erf", 8, func(d, x, _ []float32, _ []uint16) { Erf(d, x) }},
		{"gelu", 8, func(d, x, _ []float32, _ []uint16) { Gelu(d, x) }},
		{"softmax", 8, func(d, x, _ []float32, _ []uint16) { Softmax(d, x, 1) }},
		{"logsoftmax", 8, func(d, x, _ []float32, _ []uint16) { LogSoftmax(d, x, 1) }},
		{"sum", 4, func(_, x, _ []float32, _ []uint16) { _ = Sum(x) }},
		{"max", 4, func(_, x, _ []float32, _ []uint16) { _ = Max(x) }},
		{"dot", 8, func(_, x, y []float32, _ []uint16) { _ = Dot(x, y) }},
		{"scale", 8, func(d, x, _ []float32, _ []uint16) { Scale(d, x, 0.5) }},
		{"axpy", 12, func(d, x, _ []float32, _ []uint16) { Axpy(d, x, 0.5) }},
		{"addscalar", 8, func(d, x, _ []float32, _ []uint16) { AddScalar(d, x, 0.5) }},
		{"affine", 8, func(d, x, _ []float32, _ []uint16) { Affine(d, x, 0.5, 0.25) }},
		{"addbias", 8, func(d, _, y []float32, _ []uint16) { AddBias(d, len(d)/64, 64, 64, y) }},
		{"add", 12, func(d, x, y []float32, _ []uint16) { Add(d, x, y) }},
		{"sub", 12, func(d, x, y []float32, _ []uint16) { Sub(d, x, y) }},
		{"mul", 12, func(d, x, y []float32, _ []uint16) { Mul(d, x, y) }},
		{"div", 12, func(d, x, y []float32, _ []uint16) { Div(d, x, y) }},
		{"f16tof32", 6, func(d, _, _ []float32, h []uint16) { F16ToF32(d, h) }},
		{"f32tof16", 6, func(_, x, _ []float32, h []uint16) { F32ToF16(h, x) }},
	}
	for _, bc := range benches {
		for _, n := range []int{256, 4096, 65536} {
			x, y, d := make([]float32, n), make([]float32, n), make([]float32, n)
			h := make([]uint16, n)
			for i := range x {
				x[i], y[i] = float32(i%17)*0.1-0.8, float32(i%5)+1
				h[i] = uint16(0x3c00 + i%1024)
			}
			ForEachImpl(func(impl string) {
				b.Run(fmt.Sprintf("op=%s/n=%d/impl=%s", bc.name, n, impl), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						bc.run(d, x, y, h)
					}
					gb := float64(bc.bytes*n) * float64(b.N) / 1e9
					b.ReportMetric(gb/b.Elapsed().Seconds(), "GB/s")
				})
			})
		}
	}
}
