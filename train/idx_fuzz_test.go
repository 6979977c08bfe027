package train

import (
	"bytes"
	"testing"
)

// FuzzReadIDX: arbitrary bytes give a tensor or an error, never a panic,
// and a tensor always has exactly the declared number of elements.
func FuzzReadIDX(f *testing.F) {
	f.Add(idxBytes(0x08, []uint32{2, 3}, []byte{1, 2, 3, 4, 5, 6}))
	f.Add(gz(idxBytes(0x0B, []uint32{2}, []byte{0xff, 0xfe, 1, 0})))
	f.Add(idxBytes(0x0E, []uint32{1}, []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f}))
	f.Add([]byte{0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		ts, err := ReadIDX(bytes.NewReader(b))
		if err != nil {
			return
		}
		n := 1
		for _, d := range ts.Shape() {
			n *= d
		}
		if ts.Len() != n {
			t.Fatalf("%s has %d elements", ts, ts.Len())
		}
	})
}
