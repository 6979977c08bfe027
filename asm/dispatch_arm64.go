//go:build !purego

package asm

import "github.com/klauspost/cpuid/v2"

func platformImpls() ([]string, string) {
	// ASIMD is architecturally mandatory on arm64; cpuid confirms it where
	// the OS reports features.
	if cpuid.CPU.Supports(cpuid.ASIMD) || cpuid.CPU.VendorID == cpuid.VendorUnknown {
		return []string{NEON}, "default on arm64: ASIMD"
	}
	return nil, "default: no ASIMD reported"
}
