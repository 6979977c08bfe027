package executor

import (
	"math/rand/v2"
	"testing"
)

// chain builds x -> s0 -> s1 -> ... -> s(k-1), entry i+1 written by step i.
func chain(k, size int, inplace bool) planInput {
	in := planInput{Sizes: make([]int, k+1), External: make([]bool, k+1), Keep: make([]bool, k+1)}
	for i := range in.Sizes {
		in.Sizes[i] = size
	}
	in.External[0] = true
	in.Keep[k] = true
	for i := range k {
		st := planStep{Inputs: []int{i}, Outputs: []int{i + 1}}
		if inplace {
			st.InPlace = [][2]int{{0, 0}}
		}
		in.Steps = append(in.Steps, st)
	}
	return in
}

func TestPlanChain(t *testing.T) {
	p, err := planMemory(chain(6, 100, false))
	if err != nil {
		t.Fatal(err)
	}
	// Without in-place a chain ping-pongs between two blocks; the head is
	// simply the last value written and is never freed.
	if p.Buffers != 2 || p.ArenaBytes != 2*128 || p.NaiveBytes != 6*128 {
		t.Errorf("chain: %d buffers, %d bytes (naive %d)", p.Buffers, p.ArenaBytes, p.NaiveBytes)
	}
	if p.Offset[0] != -1 {
		t.Error("external entry got an offset")
	}
	checkPlan(t, chain(6, 100, false), p)

	in := chain(6, 100, true)
	p, err = planMemory(in)
	if err != nil {
		t.Fatal(err)
	}
	// In place, every step overwrites its input: one block for all.
	if p.Buffers != 1 {
		t.Errorf("in-place chain: %d buffers, want 1", p.Buffers)
	}
	checkPlan(t, in, p)
}

func TestPlanDiamondAndFanout(t *testing.T) {
	// x(ext) -> a; a -> b; a -> c; (b, c) -> d(head). a has two readers, so
	// b may not take a's block in place even though the step allows it.
	in := planInput{
		Sizes:    []int{64, 64, 64, 64, 64},
		External: []bool{true, false, false, false, false},
		Keep:     []bool{false, false, false, false, true},
		Steps: []planStep{
			{Inputs: []int{0}, Outputs: []int{1}},
			{Inputs: []int{1}, Outputs: []int{2}, InPlace: [][2]int{{0, 0}}},
			{Inputs: []int{1}, Outputs: []int{3}, InPlace: [][2]int{{0, 0}}},
			{Inputs: []int{2, 3}, Outputs: []int{4}, InPlace: [][2]int{{0, 0}}},
		},
	}
	p, err := planMemory(in)
	if err != nil {
		t.Fatal(err)
	}
	if p.Offset[2] == p.Offset[1] {
		t.Error("b took a's block although c still reads a")
	}
	if p.Offset[3] != p.Offset[1] {
		t.Error("c should take a's block in place (last reader)")
	}
	if p.Offset[4] != p.Offset[2] {
		t.Error("d should take b's block in place")
	}
	checkPlan(t, in, p)
}

func TestPlanBestFitWorkspaceAndDeadOutputs(t *testing.T) {
	// x(ext) -> big(1000) -> small(10) -> [out(10, head), hidden(500, unread)] with workspace.
	in := planInput{
		Sizes:    []int{8, 1000, 10, 10, 500, 900},
		External: []bool{true, false, false, false, false, false},
		Keep:     []bool{false, false, false, true, false, true},
		Steps: []planStep{
			{Inputs: []int{0}, Outputs: []int{1}},
			{Inputs: []int{1}, Outputs: []int{2}},
			{Inputs: []int{2}, Outputs: []int{3, 4}, Workspace: 300},
			{Inputs: []int{0}, Outputs: []int{5}},
		},
	}
	p, err := planMemory(in)
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, in, p)
	// The 900-byte entry must reuse the freed 1000-byte block (best fit),
	// so the arena is smaller than the sum of sizes.
	if p.Offset[5] != p.Offset[1] {
		t.Errorf("entry 5 at %d, want the freed big block at %d", p.Offset[5], p.Offset[1])
	}
	if p.ArenaBytes >= p.NaiveBytes {
		t.Errorf("no reuse: arena %d naive %d", p.ArenaBytes, p.NaiveBytes)
	}
	if p.WorkspaceOffset[2] < 0 || p.WorkspaceOffset[0] != -1 {
		t.Errorf("workspace offsets %v", p.WorkspaceOffset)
	}
}

func TestPlanErrors(t *testing.T) {
	bad := []planInput{
		{Sizes: []int{4}, External: []bool{false}, Keep: []bool{false}}, // never written
		{Sizes: []int{4, 4}, External: []bool{false, false}, Keep: []bool{false, false},
			Steps: []planStep{{Inputs: []int{1}, Outputs: []int{0}}, {Inputs: []int{0}, Outputs: []int{1}}}}, // read before write
		{Sizes: []int{4}, External: []bool{true}, Keep: []bool{false},
			Steps: []planStep{{Inputs: []int{0}, Outputs: []int{0}}}}, // writes external
		{Sizes: []int{4, 4}, External: []bool{true, false}, Keep: []bool{false, false},
			Steps: []planStep{{Inputs: []int{0}, Outputs: []int{1}, InPlace: [][2]int{{1, 0}}}}}, // bad pair
		{Sizes: []int{4}, External: []bool{true}, Keep: []bool{false},
			Steps: []planStep{{Inputs: []int{7}}}}, // out of range
	}
	for i, in := range bad {
		if _, err := planMemory(in); err == nil {
			t.Errorf("case %d: want an error", i)
		}
	}
}

// TestPlanRandomGraphs checks the planner's one invariant on random DAGs:
// two entries whose lifetimes overlap never overlap in the arena, except an
// in-place output taking over its input at the input's last step; a step's
// workspace overlaps nothing live during that step.
func TestPlanRandomGraphs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 2000 {
		in := randomGraph(rng)
		p, err := planMemory(in)
		if err != nil {
			t.Fatalf("graph %d: %v", iter, err)
		}
		checkPlan(t, in, p)
		if t.Failed() {
			t.Fatalf("graph %d failed: %+v", iter, in)
		}
	}
}

func randomGraph(rng *rand.Rand) planInput {
	var in planInput
	add := func(size int, ext bool) int {
		in.Sizes = append(in.Sizes, size)
		in.External = append(in.External, ext)
		in.Keep = append(in.Keep, false)
		return len(in.Sizes) - 1
	}
	var avail []int
	for range 1 + rng.IntN(3) {
		avail = append(avail, add(4*(1+rng.IntN(50)), true))
	}
	for range 1 + rng.IntN(12) {
		var st planStep
		for range 1 + rng.IntN(3) {
			st.Inputs = append(st.Inputs, avail[rng.IntN(len(avail))])
		}
		for range 1 + rng.IntN(2) {
			e := add(4*(1+rng.IntN(50)), false)
			st.Outputs = append(st.Outputs, e)
		}
		if rng.IntN(2) == 0 {
			st.InPlace = [][2]int{{rng.IntN(len(st.Inputs)), rng.IntN(len(st.Outputs))}}
		}
		if rng.IntN(3) == 0 {
			st.Workspace = 4 * rng.IntN(80)
		}
		in.Steps = append(in.Steps, st)
		avail = append(avail, st.Outputs...)
	}
	for range 1 + rng.IntN(2) {
		e := avail[rng.IntN(len(avail))]
		if !in.External[e] {
			in.Keep[e] = true
		}
	}
	return in
}

func checkPlan(t *testing.T, in planInput, p *memPlan) {
	t.Helper()
	n := len(in.Sizes)
	start := make([]int, n)
	end := make([]int, n)
	for e := range n {
		start[e], end[e] = -1, -1
	}
	handoff := map[[2]int]int{} // (src, dst) -> step
	for si, st := range in.Steps {
		for _, e := range st.Inputs {
			end[e] = si
		}
		for _, e := range st.Outputs {
			start[e], end[e] = si, si
		}
	}
	for si, st := range in.Steps {
		for _, pr := range st.InPlace {
			handoff[[2]int{st.Inputs[pr[0]], st.Outputs[pr[1]]}] = si
		}
	}
	for e := range n {
		if in.Keep[e] {
			end[e] = len(in.Steps)
		}
		if !in.External[e] && (p.Offset[e] < 0 || p.Offset[e]%planAlign != 0 || p.Offset[e]+in.Sizes[e] > p.ArenaBytes) {
			t.Errorf("entry %d: offset %d size %d arena %d", e, p.Offset[e], in.Sizes[e], p.ArenaBytes)
		}
	}
	overlap := func(o1, s1, o2, s2 int) bool { return o1 < o2+s2 && o2 < o1+s1 }
	for a := range n {
		for b := a + 1; b < n; b++ {
			if in.External[a] || in.External[b] || in.Sizes[a] == 0 || in.Sizes[b] == 0 {
				continue
			}
			if end[a] < start[b] || end[b] < start[a] {
				continue // lifetimes disjoint
			}
			if !overlap(p.Offset[a], in.Sizes[a], p.Offset[b], in.Sizes[b]) {
				continue
			}
			if s, ok := handoff[[2]int{a, b}]; ok && end[a] == s && start[b] == s {
				continue
			}
			if s, ok := handoff[[2]int{b, a}]; ok && end[b] == s && start[a] == s {
				continue
			}
			t.Errorf("entries %d [%d,%d] and %d [%d,%d] are live together and overlap at %d/%d",
				a, start[a], end[a], b, start[b], end[b], p.Offset[a], p.Offset[b])
		}
	}
	for si, st := range in.Steps {
		w := p.WorkspaceOffset[si]
		if st.Workspace == 0 {
			continue
		}
		for e := range n {
			if !in.External[e] && start[e] <= si && si <= end[e] && in.Sizes[e] > 0 &&
				overlap(w, st.Workspace, p.Offset[e], in.Sizes[e]) {
				t.Errorf("step %d workspace overlaps live entry %d", si, e)
			}
		}
	}
}
