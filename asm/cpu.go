package asm

import (
	"runtime"

	"github.com/klauspost/cpuid/v2"
)

// CPUInfo describes the processor as the kernel dispatcher sees it.
type CPUInfo struct {
	Arch     string   `json:"arch"`
	Brand    string   `json:"brand"`
	Cores    int      `json:"cores"`
	Features []string `json:"features"`
	Impls    []string `json:"impls"`
	Impl     string   `json:"impl"`
}

// CPU reports the CPU features seen and the available and selected kernel
// implementations (for `mxgo version`).
func CPU() CPUInfo {
	return CPUInfo{
		Arch:     runtime.GOARCH,
		Brand:    cpuid.CPU.BrandName,
		Cores:    runtime.NumCPU(),
		Features: cpuid.CPU.FeatureSet(),
		Impls:    Impls(),
		Impl:     Impl(),
	}
}
