//go:build !purego

package asm

import (
	"fmt"

	"github.com/klauspost/cpuid/v2"
)

// platformImpls lists the SIMD implementations this CPU can run, best
// first, and why the first is first.
func platformImpls() ([]string, string) {
	c := &cpuid.CPU
	if !c.Supports(cpuid.AVX2, cpuid.FMA3) {
		return nil, "default: no AVX2+FMA3"
	}
	if !c.Supports(cpuid.AVX512F, cpuid.AVX512BW, cpuid.AVX512DQ, cpuid.AVX512VL, cpuid.BMI2) {
		return []string{AVX2}, "default: no AVX-512"
	}
	wins, why := avx512Default(c.VendorID, c.Family, c.Model)
	if wins {
		return []string{AVX512, AVX2}, why
	}
	return []string{AVX2, AVX512}, why
}

// avx512Default is the per-microarchitecture table that decides whether
// avx512 is the default where the CPU has AVX-512 F/BW/DQ/VL. avx512 is the
// default only where it was measured faster than avx2:
//
//   - AMD Zen 5 (family 26): full-width 512-bit FMA datapath. Measured on an
//     EPYC (family 26, model 2), one core, thread CPU time, alternating
//     rounds in one run: register-only FMA loop 203–233 GFLOP/s with
//     AVX-512 against 101–115 with AVX2 (BenchmarkFMAPeak); SGEMM 1024³
//     0.80–0.82 of the AVX-512 peak against 0.41–0.47 for avx2, and avx512
//     ahead from 64³ to 2048³ (BenchmarkSgemmImplsCPU); FullyConnected
//     batch 1–8 1.0–1.6× avx2 (BenchmarkFCAVX512).
//   - AMD Zen 4 (family 25, model ≥ 0x10) executes each 512-bit FMA as two
//     256-bit halves: no more FMA throughput than AVX2, so avx2 stays the
//     default (not measured here).
//   - Every other CPU with AVX-512 (Intel Skylake-SP and later, …): not
//     measured, avx2 stays the default; MXGO_KERNELS=avx512 selects it.
func avx512Default(vendor cpuid.Vendor, family, model int) (bool, string) {
	switch {
	case vendor == cpuid.AMD && family == 26:
		return true, "default on Zen 5: full-width 512-bit FMA"
	case vendor == cpuid.AMD && family == 25 && model >= 0x10:
		return false, "default on Zen 4: 512-bit FMA runs as two 256-bit halves"
	default:
		return false, fmt.Sprintf("default: AVX-512 not measured on %v family %d model %d", vendor, family, model)
	}
}
