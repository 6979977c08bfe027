package serialize

import (
	"testing"

	"github.com/mxgo/mxgo/internal/ndarray"
)

func TestStorageTypeMatchesCodec(t *testing.T) {
	for _, c := range []struct {
		s StorageType
		r ndarray.StorageType
	}{{StorageDefault, ndarray.StorageDefault}, {StorageRowSparse, ndarray.StorageRowSparse}, {StorageCSR, ndarray.StorageCSR}} {
		if int32(c.s) != int32(c.r) || c.s.String() != c.r.String() {
			t.Errorf("%s = %d, codec %s = %d", c.s, c.s, c.r, c.r)
		}
	}
	if s := StorageType(7).String(); s != "stype(7)" {
		t.Errorf("StorageType(7) = %s", s)
	}
}
