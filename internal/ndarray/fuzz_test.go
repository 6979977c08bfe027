package ndarray_test

import (
	"bytes"
	"testing"

	"github.com/mxgo/mxgo/internal/ndarray"
	"github.com/mxgo/mxgo/tensor"
)

// FuzzReadRecord decodes arbitrary bytes as one record. Properties: no
// panic; an accepted record that passes Check re-encodes to the bytes read;
// densifying never panics.
func FuzzReadRecord(f *testing.F) {
	for _, hx := range vecRecords {
		f.Add(unhex(f, hx))
	}
	f.Add(unhex(f, "cafa93f9 00000000 00000000 0100000000000000 00000000 0000e040"))
	f.Add(unhex(f, "c9fa93f9 02000000 01000000 0300000000000000 02000000 0200000000000000 0300000000000000 01000000 00000000 00000000 06000000 01000000 0300000000000000 06000000 01000000 0300000000000000 0000a040 0000e040 00000041 0000000000000000 0100000000000000 0300000000000000 0100000000000000 0000000000000000 0200000000000000"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src := ndarray.NewBytesSource(data)
		r, err := ndarray.ReadRecord(src)
		if err != nil {
			if _, ok := err.(*ndarray.RecordError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		// Densify only what fits: a valid sparse record may describe a huge
		// dense shape, and allocating it is then the caller's request.
		if n, err := tensor.NumElements(r.Shape, r.DType.Size()); !r.None && err == nil && n*r.DType.Size() <= 1<<24 {
			r.Densify()
		}
		if r.Check() != nil {
			return
		}
		out, err := ndarray.AppendRecord(nil, r)
		if err != nil || !bytes.Equal(out, data[:src.Offset()]) {
			t.Fatalf("re-encode: %v\n in %x\nout %x", err, data[:src.Offset()], out)
		}
	})
}
