package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestBenchModelProfile checks -profile's table and its -json array on
// LeNet: every plan step once, slowest first, GFLOP/s for the
// convolutions and FullyConnected layers only.
func TestBenchModelProfile(t *testing.T) {
	args := []string{"bench", "model", "-threads", "1", "-time", "10ms", "-profile", "-rounds", "5", "-shape", "data=1,1,28,28"}
	code, out, errs := mxgo(t, append(args, "-json", lenetPrefix, "10")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r benchModelResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	var nodes []string
	for i, s := range r.Profile {
		nodes = append(nodes, s.Node)
		if !(s.MeanUs > 0) || !(s.MinUs > 0) || s.MinUs > s.MeanUs || !(s.Percent > 0) || len(s.Shape) == 0 {
			t.Errorf("row %d: %+v", i, s)
		}
		if i > 0 && s.MeanUs > r.Profile[i-1].MeanUs {
			t.Errorf("row %d (%s, %g µs) is slower than the row before", i, s.Node, s.MeanUs)
		}
		flops := strings.Contains(s.Op, "fused") || s.Op == "FullyConnected" || s.Op == "Convolution"
		if flops != (s.GFLOPS > 0) {
			t.Errorf("row %d %s (%s): %g GFLOP/s", i, s.Node, s.Op, s.GFLOPS)
		}
	}
	slices.Sort(nodes)
	if want := []string{"conv1", "conv2", "fc1", "fc2", "fc3", "pool1", "pool2", "softmax"}; !slices.Equal(nodes, want) {
		t.Errorf("profiled nodes %v, want %v", nodes, want)
	}
	if !strings.Contains(out, `"mean_us"`) || !strings.Contains(out, `"profile"`) {
		t.Errorf("JSON lacks the profile fields: %s", out)
	}

	code, out, errs = mxgo(t, append(args, lenetPrefix, "10")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3+8 || !strings.Contains(lines[0], "samples/s") || !strings.Contains(lines[1], "per step") {
		t.Fatalf("output:\n%s", out)
	}
	for _, l := range lines[3:] {
		f := strings.Fields(l)
		if len(f) < 6 {
			t.Errorf("row %q", l)
			continue
		}
		if flops := strings.HasPrefix(f[1], "_mxgo_fused") || f[1] == "FullyConnected"; flops != (len(f) == 7) {
			t.Errorf("row %q", l)
		}
	}
	if code, _, errs = mxgo(t, "bench", "model", "-rounds", "0", "-shape", "data=1,1,28,28", lenetPrefix, "10"); code != 1 || !strings.Contains(errs, "-rounds") {
		t.Errorf("-rounds 0: exit %d, %q", code, errs)
	}
}
