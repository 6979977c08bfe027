package main

import (
	"fmt"
	"io"
	"sort"
)

// benchCommands are the `mxgo bench` subcommands, by name.
var benchCommands = map[string]*command{}

func registerBench(c *command) { benchCommands[c.name] = c }

func init() {
	register(&command{name: "bench", summary: "benchmark kernels or models (mxgo bench <what> -h)", run: runBench})
}

// runBench dispatches `mxgo bench <what> [flags]`.
func runBench(args []string, stdout, stderr io.Writer) error {
	names := make([]string, 0, len(benchCommands))
	for n := range benchCommands {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		fmt.Fprintln(stderr, "usage: mxgo bench <what> [flags]\n\nwhat:")
		for _, n := range names {
			fmt.Fprintf(stderr, "  %-8s %s\n", n, benchCommands[n].summary)
		}
		return errUsage
	}
	c, ok := benchCommands[args[0]]
	if !ok {
		return fmt.Errorf("unknown benchmark %q (have %v)", args[0], names)
	}
	return c.run(args[1:], stdout, stderr)
}
