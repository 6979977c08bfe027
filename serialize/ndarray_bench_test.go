package serialize

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/mxgo/mxgo/tensor"
)

// benchParamsFile writes a ~50 MB V2 checkpoint of 50 float32 arrays
// (256×1024 each) and returns its path and size.
func benchParamsFile(b *testing.B) (string, int64) {
	b.Helper()
	names := make([]string, 50)
	ts := make([]*tensor.Tensor, 50)
	for i := range ts {
		x, err := tensor.New(tensor.Float32, 256, 1024)
		if err != nil {
			b.Fatal(err)
		}
		f := x.Float32s()
		for j := range f {
			f[j] = float32(i + j)
		}
		names[i], ts[i] = fmt.Sprintf("arg:layer%d_weight", i), x
	}
	p := filepath.Join(b.TempDir(), "bench.params")
	if err := SaveNDArrays(p, NewNDArrayList(names, ts), FormatV2); err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	return p, st.Size()
}

// BenchmarkLoadParams compares loading a ~50 MB checkpoint through the
// reader (LoadNDArrays) and the mmap loader (MapNDArrays, with and without
// touching every page) against a plain io.ReadFull of the same file into a
// preallocated buffer (readfull) and into a fresh one (readfull+alloc).
// MB/s is file bytes per second.
func BenchmarkLoadParams(b *testing.B) {
	p, size := benchParamsFile(b)
	buf := make([]byte, size)
	run := func(name string, load func() error) {
		b.Run("impl="+name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := load(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("readfull", func() error {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.ReadFull(f, buf)
		return err
	})
	run("readfull+alloc", func() error {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.ReadFull(f, make([]byte, size))
		return err
	})
	run("reader", func() error {
		l, err := LoadNDArrays(p)
		if err == nil && len(l.Arrays) != 50 {
			err = fmt.Errorf("%d arrays", len(l.Arrays))
		}
		return err
	})
	for _, touch := range []bool{false, true} {
		name := "mmap"
		if touch {
			name = "mmap+touch"
		}
		run(name, func() error {
			l, c, err := MapNDArrays(p)
			if err != nil {
				return err
			}
			defer c.Close()
			if touch {
				var s byte
				for _, a := range l.Arrays {
					d := a.Tensor.Bytes()
					for j := 0; j < len(d); j += 4096 {
						s += d[j]
					}
				}
				_ = s
			}
			return nil
		})
	}
}
