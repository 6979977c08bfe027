//go:build !purego

package asm

import "github.com/klauspost/cpuid/v2"

func platformImpls() []string {
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3) {
		return []string{AVX2}
	}
	return nil
}
