package quote

import (
	"strings"
	"testing"
)

func TestString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"fc1", `"fc1"`},
		{"a\nb\x00\x1b[31m", `"a\nb\x00\x1b[31m"`},
		{"\xff", `"\xff"`},
	} {
		if got := String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	long := strings.Repeat("é", 300) // 600 bytes
	got := String(long)
	if !strings.HasSuffix(got, "...(600 bytes)") || len(got) > MaxBytes+20 || !strings.HasPrefix(got, `"é`) {
		t.Errorf("String(600 bytes) = %s (%d bytes)", got, len(got))
	}
}

func TestLine(t *testing.T) {
	got := Line("a\nb\x00c\x1b"+strings.Repeat("x", 400), 300)
	if len(got) > 300 || strings.ContainsAny(got, "\n\x00\x1b") || !strings.HasPrefix(got, "a; b?c?") || !strings.HasSuffix(got, "...") {
		t.Errorf("Line = %q (%d bytes)", got, len(got))
	}
	if got := Line(" ok ", 300); got != "ok" {
		t.Errorf("Line(ok) = %q", got)
	}
}

func TestStringEscapesCount(t *testing.T) {
	got := String(strings.Repeat("\x1b", 1000))
	if q, _, _ := strings.Cut(got, "..."); len(q) > MaxBytes || !strings.HasSuffix(got, "(1000 bytes)") {
		t.Errorf("String(1000 ESC) = %s", got)
	}
}

func TestStringShortButEscaped(t *testing.T) {
	// Fewer bytes than MaxBytes, but more once escaped.
	s := strings.Repeat("\x00", MaxBytes-10)
	if got := String(s); !strings.HasSuffix(got, "bytes)") {
		t.Errorf("String(%d NULs) = %s", len(s), got)
	}
}

func TestName(t *testing.T) {
	for in, want := range map[string]string{
		"fc1_weight":              "fc1_weight",
		"stage1.conv0/weight:0":   "stage1.conv0/weight:0",
		"":                        `""`,
		"a b":                     `"a b"`,
		"x\x1b[31m":               `"x\x1b[31m"`,
		strings.Repeat("n", 65):   `"` + strings.Repeat("n", 65) + `"`,
		strings.Repeat("n", 1000): `"` + strings.Repeat("n", MaxBytes-2) + `"...(1000 bytes)`,
	} {
		if got := Name(in); got != want {
			t.Errorf("Name(%.20q) = %s, want %s", in, got, want)
		}
	}
}
