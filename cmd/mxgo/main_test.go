package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"strings"
	"testing"
)

// mxgo runs the CLI in-process and returns exit status, stdout and stderr.
func mxgo(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := mxgo(t, "version", "-json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var v struct {
		Impl  string   `json:"impl"`
		Impls []string `json:"impls"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Impl == "" || len(v.Impls) == 0 {
		t.Fatalf("version -json: %q (%v)", out, err)
	}
	if code, out, _ := mxgo(t, "env"); code != 0 || !strings.Contains(out, "kernels: ") {
		t.Errorf("env: %d %q", code, out)
	}
}

func TestUnknownCommandAndUsage(t *testing.T) {
	if code, _, errs := mxgo(t, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errs)
	}
	if code, _, _ := mxgo(t); code != 2 {
		t.Errorf("no args: exit %d", code)
	}
	if code, _, _ := mxgo(t, "version", "extra"); code != 2 {
		t.Errorf("extra positional: exit %d", code)
	}
}

func TestParseArgsInterspersed(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	j := fs.Bool("json", false, "")
	f := fs.String("format", "", "")
	pos, err := parseArgs(fs, []string{"in", "-json", "out", "-format", "v2"}, 2, 2, "IN OUT")
	if err != nil || !*j || *f != "v2" || len(pos) != 2 || pos[0] != "in" || pos[1] != "out" {
		t.Fatalf("got %v %v %v %v", pos, err, *j, *f)
	}
}

func TestParseArgsDoubleDash(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	j := fs.Bool("json", false, "")
	pos, err := parseArgs(fs, []string{"-json", "a", "--", "-b", "-json"}, 0, -1, "")
	if err != nil || !*j || len(pos) != 3 || pos[1] != "-b" || pos[2] != "-json" {
		t.Fatalf("got %q %v", pos, err)
	}
}
