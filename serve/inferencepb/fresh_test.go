package inferencepb

import (
	"bytes"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// versionLine matches the tool-version lines of the generated headers, which
// differ between installations without the code differing.
var versionLine = regexp.MustCompile(`(?m)^// .*protoc.* v[0-9.]+.*\n`)

// TestGeneratedFresh regenerates the Go code from grpc_predict_v2.proto with
// the //go:generate command and checks that it matches the committed files.
func TestGeneratedFresh(t *testing.T) {
	// go install puts the plugins in GOPATH/bin, which need not be on PATH.
	path := filepath.Join(build.Default.GOPATH, "bin") + string(os.PathListSeparator) + os.Getenv("PATH")
	t.Setenv("PATH", path)
	for _, tool := range []string{"protoc", "protoc-gen-go", "protoc-gen-go-grpc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (scripts/install-test-tools.sh installs protoc and the Go plugins); cannot check that the generated gRPC code is fresh", tool)
		}
	}
	dir := t.TempDir()
	proto, err := os.ReadFile("grpc_predict_v2.proto")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "grpc_predict_v2.proto"), proto, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("protoc", "--go_out=.", "--go_opt=paths=source_relative",
		"--go-grpc_out=.", "--go-grpc_opt=paths=source_relative", "grpc_predict_v2.proto")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("protoc: %v\n%s", err, out)
	}
	for _, f := range []string{"grpc_predict_v2.pb.go", "grpc_predict_v2_grpc.pb.go"} {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(versionLine.ReplaceAll(got, nil), versionLine.ReplaceAll(want, nil)) {
			t.Errorf("%s is stale: run `go generate ./serve/inferencepb` and commit the result", f)
		}
	}
}
