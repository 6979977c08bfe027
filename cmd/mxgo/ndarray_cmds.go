package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// ndarrayJSON is inspect -json's object for an NDArray file.
type ndarrayJSON struct {
	Kind   string         `json:"kind"`
	Format string         `json:"format"`
	Arrays []ndarrayEntry `json:"arrays"`
}

type ndarrayEntry struct {
	Name    string  `json:"name"`
	DType   *string `json:"dtype"`
	Shape   []int   `json:"shape"`
	Storage string  `json:"storage"`
}

// inspectNDArrays describes the NDArray file at path: a table of name,
// dtype, shape, storage and bytes with totals, or one JSON object.
func inspectNDArrays(stdout io.Writer, path string, asJSON bool) error {
	l, c, err := serialize.MapNDArrays(path)
	if err != nil {
		return err
	}
	defer c.Close()
	if asJSON {
		out := ndarrayJSON{Kind: "ndarray", Format: l.Format.String(), Arrays: []ndarrayEntry{}}
		for i := range l.Arrays {
			a := &l.Arrays[i]
			e := ndarrayEntry{Name: a.Name, Shape: a.Shape(), Storage: a.Storage().String()}
			if dt, ok := a.DType(); ok {
				s := dt.String()
				e.DType = &s
				if e.Shape == nil {
					e.Shape = []int{}
				}
			}
			out.Arrays = append(out.Arrays, e)
		}
		return json.NewEncoder(stdout).Encode(out)
	}
	kind := "list"
	if l.Named {
		kind = "dict"
	}
	fmt.Fprintf(stdout, "%s: %s NDArray file, %s of %d arrays\n\n", path, l.Format, kind, len(l.Arrays))
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tname\tdtype\tshape\tstorage\tbytes")
	total, elems := 0, 0
	for i := range l.Arrays {
		a := &l.Arrays[i]
		name := a.Name
		if !l.Named {
			name = "-"
		}
		dt, shape := "-", "none"
		if d, ok := a.DType(); ok {
			dt = d.String()
			s := a.Shape()
			shape = tensor.ShapeString(s)
			if n, err := tensor.NumElements(s, 0); err == nil {
				elems += n
			}
		}
		nb := a.StoredBytes()
		total += nb
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\n", i, name, dt, shape, a.Storage(), nb)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "\nTotal: %d arrays, %d elements, %d bytes (%s)\n", len(l.Arrays), elems, total, humanBytes(total))
	return err
}

func humanBytes(n int) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// convertNDArrays re-saves the NDArray file in to out, in format (empty: the
// input's own, giving identical bytes) with floating-point arrays cast to
// dtype (empty: unchanged). out is written through a temporary file and
// renamed, so in and out may be the same file.
func convertNDArrays(in, out, format, dtype string) error {
	l, c, err := serialize.MapNDArrays(in)
	if err != nil {
		return err
	}
	defer c.Close()
	f := l.Format
	if format != "" {
		if f, err = serialize.ParseNDArrayFormat(format); err != nil {
			return err
		}
	}
	if dtype != "" {
		dt, err := tensor.ParseDType(dtype)
		if err != nil {
			return err
		}
		if !dt.IsFloat() {
			return fmt.Errorf("-dtype %s: only floating-point types (float16, float32, float64, bfloat16) can be cast to", dtype)
		}
		if err := castFloats(l, dt); err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := serialize.WriteNDArrays(tmp, l, f); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := c.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// castFloats casts every floating-point array of l to dt. Sparse arrays keep
// their sparse form with a cast value block.
func castFloats(l *serialize.NDArrayList, dt tensor.DType) error {
	for i := range l.Arrays {
		a := &l.Arrays[i]
		if d, ok := a.DType(); !ok || !d.IsFloat() || d == dt {
			continue
		}
		if err := a.Cast(dt); err != nil {
			return err
		}
	}
	return nil
}
