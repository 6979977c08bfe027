//go:build unix

package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/mxgo/mxgo/internal/malformed"
)

var malformedFull = flag.Bool("malformed.full", os.Getenv("MXGO_MALFORMED_FULL") != "", "run every malformed case through the CLI (make fuzz)")

// TestMain lets the test binary act as the mxgo command when
// MXGO_TEST_AS_MAIN is set, so tests can run it as a subprocess and
// measure its peak RSS.
func TestMain(m *testing.M) {
	if os.Getenv("MXGO_TEST_AS_MAIN") != "" {
		code := run(os.Args[1:], os.Stdout, os.Stderr)
		if f := os.Getenv("MXGO_TEST_RSS_FILE"); f != "" {
			// The process's own high-water mark: the parent's rusage
			// would include the test process's memory at fork time.
			if st, err := os.ReadFile("/proc/self/status"); err == nil {
				for _, l := range strings.Split(string(st), "\n") {
					if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
						os.WriteFile(f, []byte(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB"))), 0o600)
					}
				}
			}
		}
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// maxRSS bounds the peak resident memory of one mxgo process on a hostile
// input.
const maxRSS = 300 << 20

// TestMalformedCLI runs `mxgo inspect` (and for NDArray files `mxgo convert
// -format npz`, which densifies) on the generated hostile inputs in a
// subprocess: each must exit 1 with one stderr line of at most 300 bytes
// naming the file and the offset or node, within maxRSS, or succeed where
// the input is valid. The fast run takes the constructed attacks (not the
// truncations and bit flips, which the serialize test covers in-process);
// the full run adds a sample of those and runs convert on every NDArray
// case.
func TestMalformedCLI(t *testing.T) {
	if testing.Short() && !*malformedFull {
		t.Skip("subprocesses; skipped with -short")
	}
	dir := t.TempDir()
	// A valid model and input, to pair with the hostile files in `mxgo run`.
	sym := filepath.Join(dir, "mlp-symbol.json")
	if err := os.WriteFile(sym, []byte(malformed.MLPSymbol), 0o600); err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(dir, "x.npy")
	if err := os.WriteFile(input, malformed.NPY("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 4), }", make([]byte, 16)), 0o600); err != nil {
		t.Fatal(err)
	}
	var peak int64
	var peakCase string
	n, failures := 0, 0
	for i, c := range malformed.Cases(*malformedFull) {
		// Mutations are covered in-process by serialize's test; here the
		// fast run skips them and the full run samples one in 25.
		if mutated := strings.Contains(c.Name, "/trunc/") || strings.Contains(c.Name, "/flip/"); mutated && (!*malformedFull || i%25 != 0) {
			continue
		}
		path := filepath.Join(dir, strings.ReplaceAll(c.Name, "/", "_"))
		if err := os.WriteFile(path, c.Data, 0o600); err != nil {
			t.Fatal(err)
		}
		cmds := [][]string{{"inspect", path}}
		densifies := strings.HasPrefix(c.Name, "sparse/") || strings.HasPrefix(c.Name, "npz/")
		if c.Kind == malformed.NDArray && (densifies || *malformedFull) {
			cmds = append(cmds, []string{"convert", "-format", "npz", path, path + ".out.npz"},
				[]string{"run", "-symbol", sym, "-params", path, "-input", input})
		}
		for _, args := range cmds {
			n++
			code, stderr, rss := runMain(t, args)
			if rss > peak {
				peak, peakCase = rss, c.Name
			}
			line := strings.TrimSuffix(stderr, "\n")
			switch {
			case rss > maxRSS:
				t.Errorf("%s %s: peak RSS %d MB", args[0], c.Name, rss>>20)
			case args[0] == "run" && code == 1 && !c.Invalid && strings.Contains(line, path):
				// A valid file that is not this model's parameters.
			case code == 0 && c.Invalid:
				t.Errorf("%s %s: invalid input accepted", args[0], c.Name)
			case code == 0:
			case code != 1:
				t.Errorf("%s %s: exit %d: %s", args[0], c.Name, code, stderr)
			case strings.Contains(line, "\n") || len(line) > 300:
				t.Errorf("%s %s: stderr not one line of <= 300 bytes (%d): %q", args[0], c.Name, len(line), stderr)
			case !strings.Contains(line, path):
				t.Errorf("%s %s: error does not name the file: %s", args[0], c.Name, line)
			case !strings.Contains(line, "offset") && !strings.Contains(line, "node"):
				t.Errorf("%s %s: error names neither offset nor node: %s", args[0], c.Name, line)
			}
			if code != 0 {
				failures++
			}
		}
		os.Remove(path)
		os.Remove(path + ".out.npz")
	}
	t.Logf("%d runs, %d clean errors, peak RSS %d MB (%s)", n, failures, peak>>20, peakCase)
}

// runMain runs this test binary as mxgo with args and returns the exit
// status, stderr and peak RSS in bytes.
func runMain(t *testing.T, args []string) (int, string, int64) {
	t.Helper()
	rssFile := filepath.Join(t.TempDir(), "rss")
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MXGO_TEST_AS_MAIN=1", "GOMAXPROCS=2", "MXGO_TEST_RSS_FILE="+rssFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	if b, err := os.ReadFile(rssFile); err == nil {
		if kb, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			return code, stderr.String(), kb << 10
		}
	}
	// No /proc: rusage, an upper bound (it counts the parent at fork).
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return code, stderr.String(), rss
}

// TestErrLineBounded checks the last guard on stderr lines.
func TestErrLineBounded(t *testing.T) {
	line := errLine("inspect", fmt.Errorf("x\n\x1b[31m%s", strings.Repeat("y", 1000)))
	if len(line) > maxErrLine || strings.ContainsAny(line, "\n\x1b") {
		t.Errorf("errLine = %q", line)
	}
}
