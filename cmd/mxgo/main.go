// Command mxgo runs, inspects, converts, benchmarks, serves and trains MXNet
// models natively in Go.
//
//	mxgo inspect [-json] FILE            describe an NDArray file or symbol JSON
//	mxgo convert [flags] IN OUT          re-save in another format generation
//	mxgo version                         kernel implementation and CPU features
//
// Flags may come before or after positional arguments. The exit status is 0
// on success and 1 on bad input, with one line on stderr naming the file,
// the byte offset and what was wrong.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/mxgo/mxgo/internal/quote"
	"github.com/mxgo/mxgo/serialize"
)

// command is one subcommand. run gets the arguments after the subcommand's
// name; it returns an error to print as one line (exit 1), or errUsage.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// errUsage means the subcommand already printed its usage; exit 2.
var errUsage = errors.New("usage")

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run executes one mxgo invocation and returns the exit status.
func run(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		// A bug must still give one line and an exit status, never a trace.
		if r := recover(); r != nil {
			fmt.Fprintln(stderr, quote.Line(fmt.Sprintf("mxgo: internal error: %v", r), maxErrLine))
			status = 3
		}
	}()
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "mxgo: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	switch err := c.run(args[1:], stdout, stderr); {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return 2
	default:
		fmt.Fprintln(stderr, errLine(c.name, err))
		return 1
	}
}

// maxErrLine bounds the one line an error prints on stderr.
const maxErrLine = 300

// errLine formats a command's error as the one stderr line: printable, at
// most maxErrLine bytes.
func errLine(cmd string, err error) string {
	return quote.Line(fmt.Sprintf("mxgo %s: %s", cmd, err), maxErrLine)
}

// names formats names from a model for a message: quoted, each cut short,
// at most four and a count of the rest.
func names(ns []string) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, n := range ns {
		if i == 4 {
			fmt.Fprintf(&b, " and %d more", len(ns)-4)
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quote.N(n, 40))
	}
	b.WriteByte(']')
	return b.String()
}

// readSymbolFile reads symbol JSON from path within the default
// Limits.MaxSymbolBytes, so a huge file is refused without being read.
func readSymbolFile(path string) ([]byte, error) {
	max := serialize.DefaultLimits().MaxSymbolBytes
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.Mode().IsRegular() && st.Size() > max {
		return nil, fmt.Errorf("%s: symbol JSON larger than %d bytes (Limits.MaxSymbolBytes)", path, max)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// One buffer of the file's size (plus one byte to see the end).
	data := make([]byte, 0, min(max, st.Size())+1)
	for int64(len(data)) <= max {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s: symbol JSON larger than %d bytes (Limits.MaxSymbolBytes)", path, max)
	}
	return data, nil
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: mxgo <command> [flags] [args]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'mxgo <command> -h' for a command's flags.")
}

// parseArgs parses flags that may appear before, between or after the
// positional arguments (the standard flag package stops at the first
// positional one), and checks the positional count is in [min, max]
// (max < 0: unbounded). "--" ends flag parsing.
func parseArgs(fs *flag.FlagSet, args []string, min, max int, argsUsage string) ([]string, error) {
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: mxgo %s [flags] %s\n", fs.Name(), argsUsage)
		fs.PrintDefaults()
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, rest...) // everything after "--" is positional
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if len(pos) < min || (max >= 0 && len(pos) > max) {
		fs.Usage()
		return nil, errUsage
	}
	return pos, nil
}

// newFlagSet makes a subcommand's flag set that reports to stderr.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
