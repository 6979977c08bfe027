//go:build !purego

package asm

// winoInputAVX512 and winoInputAVX2 are WinogradInput with the geometry
// checked (conv_wino_amd64.s): 16 and 8 tiles per step.
//
//go:noescape
func winoInputAVX512(v *float32, vs int, e, o *float32, ld, th, tw int)

//go:noescape
func winoInputAVX2(v *float32, vs int, e, o *float32, ld, th, tw int)

// winoOutputAVX512 and winoOutputAVX2 are WinogradOutput with the geometry
// checked: 16 and 8 tiles per step.
//
//go:noescape
func winoOutputAVX512(wide *float32, ldw int, m *float32, ms, th, tw int)

//go:noescape
func winoOutputAVX2(wide *float32, ldw int, m *float32, ms, th, tw int)

// winoInput runs impl's input transform.
func winoInput(impl string, v []float32, vs int, e, o []float32, ld, th, tw int) {
	switch impl {
	case AVX512:
		winoInputAVX512(&v[0], vs, &e[0], &o[0], ld, th, tw)
	case AVX2:
		winoInputAVX2(&v[0], vs, &e[0], &o[0], ld, th, tw)
	default:
		winoInputGeneric(v, vs, e, o, ld, th, tw, 0)
	}
}

// winoOutput runs impl's output transform.
func winoOutput(impl string, wide []float32, ldw int, m []float32, ms, th, tw int) {
	switch impl {
	case AVX512:
		winoOutputAVX512(&wide[0], ldw, &m[0], ms, th, tw)
	case AVX2:
		winoOutputAVX2(&wide[0], ldw, &m[0], ms, th, tw)
	default:
		winoOutputGeneric(wide, ldw, m, ms, th, tw, 0)
	}
}
