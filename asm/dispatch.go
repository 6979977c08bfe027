package asm

import (
	"fmt"
	"os"
	"slices"
	"sync"
)

// Implementation names.
const (
	Generic = "generic"
	AVX2    = "avx2"
	AVX512  = "avx512"
	NEON    = "neon"
)

var (
	dispatchMu sync.Mutex
	// impls lists the implementations this machine can run, best first;
	// Generic is always last. defaultWhy says why impls[0] is first.
	impls, defaultWhy = listImpls()
	// kernelsEnv is MXGO_KERNELS at start-up.
	kernelsEnv = os.Getenv("MXGO_KERNELS")
	// current is the selected implementation, chosen before any init
	// function of the package runs.
	current = initialImpl(kernelsEnv)
	// setByCall records that SetImpl changed the start-up choice.
	setByCall bool
	// selectors are the kernel families' hooks, called with the new
	// implementation name whenever it changes.
	selectors []func(impl string)
)

func listImpls() ([]string, string) {
	l, why := platformImpls()
	if why == "" {
		why = "default: no SIMD kernels in this build"
	}
	return append(l, Generic), why
}

func initialImpl(env string) string {
	if env != "" && slices.Contains(impls, env) {
		return env
	}
	if env != "" {
		fmt.Fprintf(os.Stderr, "mxgo: MXGO_KERNELS=%q is not available here (have %v); using %s\n", env, impls, impls[0])
	}
	return impls[0]
}

// onSelect registers a kernel family's selector: f is called now with the
// current implementation and again on every SetImpl. Families call it from
// init and use it to point their function variables at the chosen code.
func onSelect(f func(impl string)) {
	dispatchMu.Lock()
	defer dispatchMu.Unlock()
	selectors = append(selectors, f)
	f(current)
}

// Impls returns the implementations this machine can run, best first; the
// last is always "generic".
func Impls() []string { return slices.Clone(impls) }

// Impl returns the name of the selected implementation.
func Impl() string {
	dispatchMu.Lock()
	defer dispatchMu.Unlock()
	return current
}

// ImplReason says why the selected implementation was chosen: the
// per-CPU default and its reason (e.g. "default on Zen 5: full-width
// 512-bit FMA"), "forced by MXGO_KERNELS" or "selected by SetImpl".
// The per-microarchitecture table is avx512Default (dispatch_amd64.go).
func ImplReason() string {
	dispatchMu.Lock()
	defer dispatchMu.Unlock()
	switch {
	case kernelsEnv != "" && current == kernelsEnv && !setByCall:
		return "forced by MXGO_KERNELS"
	case current == impls[0]:
		return defaultWhy
	default:
		return "selected by SetImpl"
	}
}

// SetImpl selects an implementation for every kernel family. It must not be
// called while kernels are running in other goroutines; it is meant for
// tests, benchmarks and start-up configuration.
func SetImpl(name string) error {
	if !slices.Contains(impls, name) {
		return fmt.Errorf("asm: implementation %q not available on this machine (have %v)", name, impls)
	}
	dispatchMu.Lock()
	defer dispatchMu.Unlock()
	current = name
	setByCall = true
	for _, f := range selectors {
		f(name)
	}
	return nil
}

// ForEachImpl runs f once with each available implementation selected, then
// restores the previous selection. Tests use it to check every code path.
func ForEachImpl(f func(impl string)) {
	prev := Impl()
	defer func() { _ = SetImpl(prev) }()
	for _, name := range impls {
		if err := SetImpl(name); err != nil {
			panic(err) // impls only lists available names
		}
		f(name)
	}
}
