// Package quote makes attacker-controlled strings (names and attribute
// values read from model files) safe to put in error messages: bounded in
// length, quoted, with control characters escaped.
package quote

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxBytes is how many bytes of a string String keeps before truncating.
const MaxBytes = 200

// String returns s truncated to MaxBytes (at a rune boundary) and quoted
// like %q, so control characters, quotes and invalid UTF-8 are escaped. A
// truncated string ends in "...(N bytes)" after the closing quote.
func String(s string) string { return N(s, MaxBytes) }

// N is String with a limit of max bytes.
func N(s string, max int) string {
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "...(" + strconv.Itoa(len(s)) + " bytes)"
}

// Line makes s one printable line of at most max bytes: control characters
// (including newlines) become "\n"-style escapes or '?', and a longer line
// is cut at a rune boundary and ends in "...". It is the last guard before
// a message reaches a log or a terminal.
func Line(s string, max int) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString("; ")
		case r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError || r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.TrimSpace(b.String())
	if len(out) <= max {
		return out
	}
	cut := max - 3
	for cut > 0 && !utf8.RuneStart(out[cut]) {
		cut--
	}
	return out[:cut] + "..."
}
