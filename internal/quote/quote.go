// Package quote makes attacker-controlled strings (names and attribute
// values read from model files) safe to put in error messages: bounded in
// length, quoted, with control characters escaped.
package quote

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxBytes bounds the quoted text String returns (quotes and escapes
// included, the "...(N bytes)" suffix of a truncated string excluded). It
// keeps an error line naming a file, an offset and one or two such strings
// under 300 bytes.
const MaxBytes = 120

// String returns s quoted like %q (control characters, quotes and invalid
// UTF-8 escaped), cut at a rune boundary so that the quoted text is at most
// MaxBytes; a cut string is followed by "...(N bytes)" giving its length.
func String(s string) string { return N(s, MaxBytes) }

// N is String with a limit of max bytes of quoted text.
func N(s string, limit int) string {
	limit = max(limit, 8)
	q := strconv.Quote(s)
	if len(q) <= limit {
		return q
	}
	k := min(len(s), limit)
	for {
		for k > 0 && k < len(s) && !utf8.RuneStart(s[k]) {
			k--
		}
		q = strconv.Quote(s[:k])
		if len(q) <= limit || k == 0 {
			break
		}
		k -= max(1, (len(q)-limit)/4)
	}
	return q + "...(" + strconv.Itoa(len(s)) + " bytes)"
}

// Line makes s one printable line of at most max bytes: control characters
// (including newlines) become "\n"-style escapes or '?', and a longer line
// is cut at a rune boundary and ends in "...". It is the last guard before
// a message reaches a log or a terminal.
func Line(s string, limit int) string {
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
	if len(out) <= limit {
		return out
	}
	cut := limit - 3
	for cut > 0 && !utf8.RuneStart(out[cut]) {
		cut--
	}
	return out[:cut] + "..."
}

// Name returns an identifier-like name (a node, op or array name) as it is
// when it is short and made of printable characters other than space and
// quotes, and quoted by String otherwise. Messages about well-formed models
// keep reading "node fc1 (FullyConnected)"; a hostile name cannot break the
// line or flood it.
func Name(s string) string {
	if s == "" || len(s) > 64 {
		return String(s)
	}
	for _, r := range s {
		if r == utf8.RuneError || r <= ' ' || r == '"' || r == '\'' || r == '\\' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return String(s)
		}
	}
	return s
}
