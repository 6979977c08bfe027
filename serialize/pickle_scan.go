package serialize

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Argument kinds of the pickle opcodes, as pickletools describes them.
const (
	argNone   = iota
	argFixed  // n fixed bytes
	argLine   // one '\n'-terminated line
	argLine2  // two lines (GLOBAL, INST)
	argCount1 // u8 length + data
	argCount4 // u32 length + data (LONG4: i32)
	argCount8 // u64 length + data
)

type opArg struct {
	kind, n uint8
}

// pickleOps lists every opcode of protocols 0–5 with its argument layout;
// an opcode outside it is refused.
var pickleOps = func() map[byte]opArg {
	m := map[byte]opArg{}
	for _, c := range []byte("(.012NRabdelostu)]}Q\x81\x85\x86\x87\x88\x89\x8f\x90\x91\x92\x93\x94\x97\x98") {
		m[byte(c)] = opArg{argNone, 0}
	}
	for _, c := range []byte("FILPSVgp") {
		m[byte(c)] = opArg{argLine, 0}
	}
	m['c'] = opArg{argLine2, 0}
	m['i'] = opArg{argLine2, 0}
	for c, n := range map[byte]uint8{'J': 4, 'K': 1, 'M': 2, 'G': 8, 'h': 1, 'j': 4, 'q': 1, 'r': 4, 0x80: 1, 0x82: 1, 0x83: 2, 0x84: 4, 0x95: 8} {
		m[c] = opArg{argFixed, n}
	}
	for _, c := range []byte("UC\x8c\x8a") {
		m[byte(c)] = opArg{argCount1, 0}
	}
	for _, c := range []byte("TBX\x8b") {
		m[byte(c)] = opArg{argCount4, 0}
	}
	for _, c := range []byte("\x8d\x8e\x96") {
		m[byte(c)] = opArg{argCount8, 0}
	}
	return m
}()

// maxPickleLine bounds a text argument (protocol-0 numbers and names).
const maxPickleLine = 4096

// maxPickleOps bounds the opcodes of one pickle, and so the objects the
// unpickler builds (each opcode makes at most one, of up to ~250 bytes with
// its share of the stack): an MXNet NDArray takes 14 to 25 opcodes, so this
// allows over 20,000 arrays (a ResNet-152 .states file has about 1,000
// states) while a hostile pickle of one-byte opcodes allocates at most
// about 120 MB.
const maxPickleOps = 1 << 19

// maxPickleMarks bounds the MARKs open at once (each costs the unpickler a
// new stack); Python's pickler nests one per container being built.
const maxPickleMarks = maxPickleDepth

// scanPickle walks b opcode by opcode, without building anything, and
// checks that it is one complete pickle of protocol 2–5: known opcodes,
// every counted length within the bytes left (so the unpickler never
// allocates for a claim the input cannot back), lines terminated and short,
// frames within the input, and nothing after STOP.
func scanPickle(b []byte) error {
	fail := func(off int, format string, args ...any) error {
		return &FormatError{Offset: int64(off), Msg: "pickle: " + fmt.Sprintf(format, args...)}
	}
	if len(b) < 2 || b[0] != PickleProto {
		return fail(0, "not a pickle of protocol 2 or later (no PROTO opcode)")
	}
	if b[1] < 2 || b[1] > 5 {
		return fail(1, "unsupported pickle protocol %d (want 2–5)", b[1])
	}
	le := binary.LittleEndian
	ops, marks := 0, 0
	for off := 0; off < len(b); {
		if ops++; ops > maxPickleOps {
			return fail(off, "more than %d opcodes", maxPickleOps)
		}
		op := b[off]
		a, ok := pickleOps[op]
		if !ok {
			return fail(off, "unknown opcode 0x%02x", op)
		}
		p := off + 1
		rem := uint64(len(b) - p)
		need := uint64(0)
		switch a.kind {
		case argFixed:
			need = uint64(a.n)
		case argLine, argLine2:
			for range int(a.kind-argLine) + 1 {
				i := bytes.IndexByte(b[p+int(need):], '\n')
				if i < 0 || i > maxPickleLine {
					return fail(off, "opcode 0x%02x: text argument unterminated or longer than %d bytes", op, maxPickleLine)
				}
				need += uint64(i) + 1
			}
		case argCount1, argCount4, argCount8:
			w := map[uint8]uint64{argCount1: 1, argCount4: 4, argCount8: 8}[a.kind]
			if rem < w {
				return fail(off, "truncated: opcode 0x%02x needs a %d-byte length", op, w)
			}
			var n uint64
			switch w {
			case 1:
				n = uint64(b[p])
			case 4:
				n = uint64(le.Uint32(b[p:]))
				if op == 0x8b && int32(n) < 0 {
					return fail(off, "LONG4 with negative length")
				}
			default:
				n = le.Uint64(b[p:])
			}
			if n > rem-w {
				return fail(off, "opcode 0x%02x claims %d bytes but only %d remain", op, n, rem-w)
			}
			need = w + n
		}
		if need > rem {
			return fail(off, "truncated: opcode 0x%02x needs %d bytes, %d remain", op, need, rem)
		}
		switch op {
		case '(':
			if marks++; marks > maxPickleMarks {
				return fail(off, "more than %d nested MARKs", maxPickleMarks)
			}
		case 't', 'l', 'd', 'e', 'u', '1', 'o', 'i', 0x90, 0x91:
			if marks > 0 {
				marks--
			}
		case 0x95: // FRAME: its length must lie within the input
			if n := le.Uint64(b[p:]); n > rem-8 {
				return fail(off, "frame of %d bytes but only %d remain", n, rem-8)
			}
		case 0x80:
			if off != 0 {
				return fail(off, "PROTO opcode in the middle of the pickle")
			}
		case '.':
			if p != len(b) {
				return fail(p, "%d trailing bytes after the pickle's STOP", len(b)-p)
			}
			return nil
		}
		off = p + int(need)
	}
	return fail(len(b), "truncated: no STOP opcode")
}
