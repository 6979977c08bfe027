package asm

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestDispatch(t *testing.T) {
	got := Impls()
	if got[len(got)-1] != Generic {
		t.Fatalf("Impls() = %v: generic must be last", got)
	}
	if !slices.Contains(got, Impl()) {
		t.Fatalf("Impl() %q not in %v", Impl(), got)
	}
	if err := SetImpl("no-such-impl"); err == nil {
		t.Fatal("SetImpl of an unknown name must fail")
	}
	var seen []string
	var hook string
	onSelect(func(impl string) { hook = impl })
	prev := Impl()
	ForEachImpl(func(impl string) {
		if Impl() != impl || hook != impl {
			t.Errorf("ForEachImpl(%s): Impl()=%s hook=%s", impl, Impl(), hook)
		}
		seen = append(seen, impl)
	})
	if !slices.Equal(seen, got) || Impl() != prev {
		t.Errorf("visited %v (want %v); restored %s (want %s)", seen, got, Impl(), prev)
	}
	if initialImpl(Generic) != Generic {
		t.Error("MXGO_KERNELS=generic must select generic")
	}
}

// TestExpectedImpl lets CI assert what dispatch picks on an emulated CPU:
// `make test-nehalem` sets MXGO_EXPECT_IMPL=generic for a CPU without AVX2.
func TestExpectedImpl(t *testing.T) {
	want := os.Getenv("MXGO_EXPECT_IMPL")
	if want == "" {
		t.Skip("MXGO_EXPECT_IMPL not set")
	}
	if Impl() != want {
		t.Fatalf("selected %s, want %s (impls %v)", Impl(), want, Impls())
	}
}

// TestImplReason checks that the reason follows the selection: the default's
// reason for impls[0], "selected by SetImpl" for another one, and that
// CPU() reports both.
func TestImplReason(t *testing.T) {
	prev := Impl()
	defer func() { _ = SetImpl(prev) }()
	l := Impls()
	if err := SetImpl(l[0]); err != nil {
		t.Fatal(err)
	}
	if r := ImplReason(); !strings.HasPrefix(r, "default") && kernelsEnv != l[0] {
		t.Errorf("ImplReason() for %s = %q, want the default's reason", l[0], r)
	}
	if err := SetImpl(Generic); err != nil {
		t.Fatal(err)
	}
	if len(l) > 1 && ImplReason() != "selected by SetImpl" {
		t.Errorf("ImplReason() after SetImpl(generic) = %q", ImplReason())
	}
	if c := CPU(); c.Impl != Generic || c.ImplReason != ImplReason() {
		t.Errorf("CPU() = %+v", c)
	}
}
