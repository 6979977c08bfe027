package serialize_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/internal/malformed"
	"github.com/mxgo/mxgo/serialize"
)

var malformedFull = flag.Bool("malformed.full", os.Getenv("MXGO_MALFORMED_FULL") != "", "run the full malformed-input set (make fuzz)")

// maxCaseAlloc bounds the bytes one malformed case may allocate in total.
const maxCaseAlloc = 300 << 20

// TestMalformedInputs feeds every generated case to the readers: each must
// end in a clean error (a *FormatError or *SymbolError, one line of at most
// 300 bytes naming the offset or node, with the file name when loaded from
// a path) or, only where the input is valid, in success; none may panic or
// allocate more than 300 MB.
func TestMalformedInputs(t *testing.T) {
	cases := malformed.Cases(*malformedFull)
	dir := t.TempDir()
	var ms runtime.MemStats
	stats := map[string]int{}
	start := time.Now()
	for _, c := range cases {
		if testing.Short() && len(c.Data) > 256<<10 {
			continue // the large cases run natively without -short (race, qemu)
		}
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		err := runCase(t, dir, c)
		runtime.ReadMemStats(&ms)
		if alloc := ms.TotalAlloc - before; alloc > maxCaseAlloc {
			t.Errorf("%s: allocated %d MB", c.Name, alloc>>20)
			stats["over-memory"]++
		}
		switch {
		case err == nil && c.Invalid:
			t.Errorf("%s: invalid input accepted", c.Name)
		case err == nil:
			stats["ok"]++
		default:
			stats["clean errors"]++
		}
		if len(c.Data) > 1<<20 {
			debug.FreeOSMemory()
		}
	}
	t.Logf("%d cases in %v: %v", len(cases), time.Since(start).Round(time.Millisecond), stats)
}

func runCase(t *testing.T, dir string, c malformed.Case) (err error) {
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: panic: %v", c.Name, r)
			err = errors.New("panic")
		}
	}()
	if c.Kind == malformed.Symbol {
		f, err := serialize.ParseSymbol(c.Data)
		if err != nil {
			checkLine(t, c.Name, "", err)
			var se *serialize.SymbolError
			if !errors.As(err, &se) {
				t.Errorf("%s: %T is not a *SymbolError: %v", c.Name, err, err)
			}
			return err
		}
		if _, err := graph.Index(f.Symbol); err != nil {
			return err
		}
		return nil
	}
	l, err := serialize.ParseNDArrays(c.Data)
	_, errStream := serialize.ReadNDArrays(struct{ *bytes.Reader }{bytes.NewReader(c.Data)})
	_, errSized := serialize.ReadNDArrays(bytes.NewReader(c.Data))
	if (err == nil) != (errStream == nil) || (err == nil) != (errSized == nil) {
		t.Errorf("%s: readers disagree: bytes %v, stream %v, sized %v", c.Name, err, errStream, errSized)
	}
	for _, e := range []error{err, errStream, errSized} {
		if e != nil {
			var fe *serialize.FormatError
			if !errors.As(e, &fe) {
				t.Errorf("%s: %T is not a *FormatError: %v", c.Name, e, e)
			}
			checkLine(t, c.Name, "", e)
		}
	}
	if err != nil {
		if c.Invalid || len(c.Data) < 4096 {
			// From a path the error names the file.
			path := filepath.Join(dir, strings.ReplaceAll(c.Name, "/", "_"))
			if werr := os.WriteFile(path, c.Data, 0o600); werr != nil {
				t.Fatal(werr)
			}
			_, perr := serialize.LoadNDArrays(path)
			if perr == nil {
				t.Errorf("%s: LoadNDArrays accepted what ParseNDArrays refused (%v)", c.Name, err)
			} else {
				checkLine(t, c.Name, path, perr)
			}
			os.Remove(path)
		}
		return err
	}
	// A file that loads must densify and split within the limits.
	for i := range l.Arrays {
		if l.Arrays[i].None() {
			continue
		}
		if _, err := l.Arrays[i].Dense(); err != nil {
			t.Errorf("%s: loaded, but array %d does not densify: %v", c.Name, i, err)
		}
	}
	if l.Named {
		_, _, err = serialize.SplitParams(l)
		if err != nil {
			checkLine(t, c.Name, "", err)
		}
	}
	return err
}

// checkLine requires err to print as one clean line of at most 300 bytes
// that names the offset or node (and path, when given).
func checkLine(t *testing.T, name, path string, err error) {
	t.Helper()
	msg := err.Error()
	switch {
	case len(msg) > 300:
		t.Errorf("%s: error of %d bytes: %.300s", name, len(msg), msg)
	case strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		t.Errorf("%s: control characters in error %q", name, msg)
	case !strings.Contains(msg, "offset") && !strings.Contains(msg, "node") && !strings.Contains(msg, "split params"):
		t.Errorf("%s: error names neither offset nor node: %s", name, msg)
	case path != "" && !strings.Contains(msg, path):
		t.Errorf("%s: error does not name %s: %s", name, path, msg)
	}
}
