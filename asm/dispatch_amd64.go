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
//     256-bit halves: the same FMA peak as AVX2 (BenchmarkFMAPeak on an EPYC,
//     family 25 model 17: 120 GFLOP/s either way), but half the instructions,
//     32 registers and masked tails. Measured there, same binary, one thread
//     on one core, p50 of alternating rounds (avx2 → avx512): SGEMM 1024³
//     0.91 → 0.87 of the peak but 64³–512³ 0.88–0.95 → 0.87–0.97; real
//     models batch 1: ResNet-20 904–907 → 803–805 µs, gender-age
//     1138–1167 → 878–897 µs, MTCNN det1 3.07–3.16 → 2.82–2.86 ms, det4
//     410–420 → 367–371 µs, RetinaFace 18.5–18.7 → 14.8–16.0 ms, LFFD
//     13.0–13.3 → 11.1–11.4 ms, SSD MobileNet 102–103 → 83–85 ms; two
//     threads likewise (ResNet-20 b8 3.63–4.38 → 3.23–3.38 ms). So avx512.
//   - Every other CPU with AVX-512 (Intel Skylake-SP and later, …): not
//     measured, avx2 stays the default; MXGO_KERNELS=avx512 selects it.
func avx512Default(vendor cpuid.Vendor, family, model int) (bool, string) {
	switch {
	case vendor == cpuid.AMD && family == 26:
		return true, "default on Zen 5: full-width 512-bit FMA"
	case vendor == cpuid.AMD && family == 25 && model >= 0x10:
		return true, "default on Zen 4: 512-bit FMA as two halves, but fewer instructions"
	default:
		return false, fmt.Sprintf("default: AVX-512 not measured on %v family %d model %d", vendor, family, model)
	}
}
