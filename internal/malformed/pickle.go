package malformed

import (
	"bytes"
	"fmt"
	"math/rand/v2"
)

// PickleNDArray returns pkl.dumps(nd, protocol=4) for an NDArray whose raw
// record (MXNDArraySaveRawBytes) is rec, without memo opcodes: NDArray(None)
// then BUILD with {'handle': bytearray(rec)}.
func PickleNDArray(rec []byte) []byte {
	return append(append([]byte{0x80, 4}, pickleNDArrayBody(rec)...), '.')
}

func pickleNDArrayBody(rec []byte) []byte {
	b := []byte("\x8c\x15mxnet.ndarray.ndarray\x8c\x07NDArray\x93N\x85R}\x8c\x06handle\x8c\x08builtins\x8c\x09bytearray\x93")
	if len(rec) < 256 {
		b = append(b, 'C', byte(len(rec)))
	} else {
		b = le.AppendUint32(append(b, 'B'), uint32(len(rec)))
	}
	b = append(b, rec...)
	return append(b, "\x85Rsb"...)
}

// pickleStates returns a .states pickle {0: (rec0, rec1), 1: None}.
func pickleStates(rec0, rec1 []byte) []byte {
	b := []byte{0x80, 4, '}', '(', 'K', 0}
	b = append(b, pickleNDArrayBody(rec0)...)
	b = append(b, pickleNDArrayBody(rec1)...)
	b = append(b, 0x86, 'K', 1, 'N', 'u', '.')
	return b
}

// pickleCases are hostile Python pickles for the NDArray readers (which
// sniff a pickle by its PROTO opcode).
func pickleCases(full bool, rng *rand.Rand) []Case {
	var out []Case
	add := func(invalid bool, name string, data []byte) {
		out = append(out, Case{Name: "pickle/" + name, Kind: NDArray, Data: data, Invalid: invalid})
	}
	vals := []float32{1, 2, 3, 4, 5, 6}
	valid := pickleStates(Dense([]int64{2, 3}, vals), Dense([]int64{3}, vals[:3]))
	add(false, "valid", valid)
	add(false, "valid-one", PickleNDArray(Dense([]int64{6}, vals)))
	step := max(1, len(valid)/40)
	if full {
		step = 1
	}
	for n := 0; n < len(valid); n += step {
		add(true, fmt.Sprintf("trunc/%d", n), valid[:n])
	}
	flips := 60
	if full {
		flips = 3000
	}
	for i := 0; i < flips; i++ {
		c := append([]byte{}, valid...)
		pos := rng.IntN(len(c))
		c[pos] ^= 1 << rng.IntN(8)
		add(false, fmt.Sprintf("flip/%d", i), c)
	}
	// Foreign callables, by GLOBAL and by STACK_GLOBAL.
	add(true, "os-system-global", []byte("\x80\x02cposix\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03."))
	add(true, "os-system-stack-global", []byte("\x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x0aecho pwned\x85R."))
	add(true, "builtins-eval", []byte("\x80\x04\x8c\x08builtins\x8c\x04eval\x93\x8c\x0a1+1\x85R."))
	add(true, "numpy-reconstruct", []byte("\x80\x02cnumpy.core.multiarray\n_reconstruct\nq\x00."))
	// Length claims far beyond the data.
	huge := func(op byte, n uint64) []byte {
		return append(le.AppendUint64([]byte{0x80, 4, op}, n), "abc."...)
	}
	add(true, "bytearray8-2^62", huge(0x96, 1<<62))
	add(true, "binbytes8-1TiB", huge(0x8e, 1<<40))
	add(true, "binunicode8-1TiB", huge(0x8d, 1<<40))
	add(true, "frame-2^50", huge(0x95, 1<<50))
	add(true, "binbytes-2GiB", []byte{0x80, 4, 'B', 0xff, 0xff, 0xff, 0x7f, '.'})
	// A record claiming 2^40 elements inside a small bytearray.
	add(true, "record-dim-2^40", PickleNDArray(Dense([]int64{1 << 40}, vals)))
	add(true, "record-trailing", PickleNDArray(append(Dense([]int64{2}, vals[:2]), 9, 9)))
	add(true, "record-garbage", PickleNDArray([]byte("not a record")))
	// Deep nesting and big containers.
	deep := []byte{0x80, 4, 'N'}
	deep = append(deep, bytes.Repeat([]byte{0x85}, 100000)...)
	add(true, "deep-tuples", append(deep, '.'))
	deepList := append([]byte{0x80, 4}, bytes.Repeat([]byte{']'}, 50000)...)
	deepList = append(deepList, bytes.Repeat([]byte{'a'}, 49999)...)
	add(true, "deep-lists", append(deepList, '.'))
	add(true, "marks-1M", append(append([]byte{0x80, 4}, bytes.Repeat([]byte{'('}, 1<<20)...), '.'))
	// Memo-shared tuples that would expand to 2^60 values.
	shared := []byte{0x80, 4, ']', 'N', 'a', 0x94}
	for i := range 60 {
		shared = append(shared, 'h', byte(i), 'h', byte(i), 0x86, 0x94)
	}
	add(true, "shared-2^60", append(shared, '.'))
	// A list that contains itself.
	add(true, "self-cycle", []byte{0x80, 4, ']', 0x94, 'h', 0, 'a', '.'})
	add(true, "protocol-9", []byte{0x80, 9, 'N', '.'})
	add(true, "no-stop", []byte{0x80, 4, 'N'})
	add(true, "trailing", append(append([]byte{}, valid...), 0))
	add(true, "not-ndarray", []byte("\x80\x04\x8c\x05hello."))
	return out
}
