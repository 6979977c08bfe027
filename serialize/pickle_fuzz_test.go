package serialize

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/mxgo/mxgo/internal/malformed"
)

// FuzzReadPickle feeds arbitrary bytes to the pickle reader: it must not
// panic, and what it accepts must write back as a pickle that reads again
// with the same arrays.
func FuzzReadPickle(f *testing.F) {
	names, _ := filepath.Glob(picklePath("*.pkl"))
	states, _ := filepath.Glob(picklePath("*.states"))
	for _, n := range append(names, states...) {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, c := range malformed.Cases(false) {
		if len(c.Data) > 0 && c.Data[0] == PickleProto && len(c.Data) < 4096 {
			f.Add(c.Data)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := ParsePickle(b)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WritePickle(&buf, v); err != nil {
			return // e.g. a sparse record that does not densify
		}
		back, err := ParsePickle(buf.Bytes())
		if err != nil {
			t.Fatalf("re-written pickle does not read: %v", err)
		}
		l1, l2 := PickleNDArrayList(v), PickleNDArrayList(back)
		if len(l1.Arrays) != len(l2.Arrays) {
			t.Fatalf("%d arrays, re-read %d", len(l1.Arrays), len(l2.Arrays))
		}
		for i := range l1.Arrays {
			if l1.Arrays[i].Name != l2.Arrays[i].Name {
				t.Fatalf("array %d named %q, re-read %q", i, l1.Arrays[i].Name, l2.Arrays[i].Name)
			}
		}
	})
}
