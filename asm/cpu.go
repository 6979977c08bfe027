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
	// ImplReason says why Impl was selected (see ImplReason).
	ImplReason string `json:"impl_reason"`
	// Vendor, Family and Model identify the microarchitecture the
	// per-CPU default is chosen by (x86 cpuid; zero elsewhere).
	Vendor string `json:"vendor"`
	Family int    `json:"family"`
	Model  int    `json:"model"`
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

		ImplReason: ImplReason(),
		Vendor:     cpuid.CPU.VendorString,
		Family:     cpuid.CPU.Family,
		Model:      cpuid.CPU.Model,
	}
}
