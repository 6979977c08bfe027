package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/mxgo/mxgo/asm"
)

func init() {
	register(&command{name: "version", summary: "print the version, kernel implementation and CPU features", run: runVersion})
	register(&command{name: "env", summary: "same as version", run: runVersion})
}

func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object")
	if _, err := parseArgs(fs, args, 0, 0, ""); err != nil {
		return err
	}
	version := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		version = bi.Main.Version
	}
	cpu := asm.CPU()
	if *asJSON {
		return json.NewEncoder(stdout).Encode(struct {
			Version string `json:"version"`
			asm.CPUInfo
		}{version, cpu})
	}
	fmt.Fprintf(stdout, "mxgo %s\nkernels: %s (%s; available: %s)\ncpu: %s, %s, %d cores",
		version, cpu.Impl, cpu.ImplReason, strings.Join(cpu.Impls, ", "), cpu.Brand, cpu.Arch, cpu.Cores)
	if cpu.Vendor != "" {
		fmt.Fprintf(stdout, ", %s family %d model %d", cpu.Vendor, cpu.Family, cpu.Model)
	}
	fmt.Fprintf(stdout, "\nfeatures: %s\n", strings.Join(cpu.Features, " "))
	return nil
}
