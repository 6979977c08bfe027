package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/serialize"
	"github.com/mxgo/mxgo/tensor"
)

// benchModelResult is the -json output of `mxgo bench model` (a stable
// contract: extend, never rename).
type benchModelResult struct {
	Batch            int     `json:"batch"`
	Threads          int     `json:"threads"`
	P50us            float64 `json:"p50_us"`
	P90us            float64 `json:"p90_us"`
	SamplesPerS      float64 `json:"samples_per_s"`
	AllocsPerPredict float64 `json:"allocs_per_predict"`
	Calls            int     `json:"calls"`
	// BatchSplit is the goroutines Predict split the batch over, each
	// running chunks of up to ChunkRows samples through the whole network
	// (0: the batch ran whole; executor.PlanInfo).
	BatchSplit int `json:"batch_split"`
	ChunkRows  int `json:"chunk_rows"`
	// Profile is there with -profile: one row per plan step, slowest
	// first.
	Profile []benchStep `json:"profile,omitempty"`
}

// benchStep is one plan step's row of `mxgo bench model -profile`.
type benchStep struct {
	Node    string  `json:"node"`
	Op      string  `json:"op"`
	Shape   []int   `json:"shape"`
	MeanUs  float64 `json:"mean_us"`
	MinUs   float64 `json:"min_us"`
	Percent float64 `json:"percent"`
	GFLOPS  float64 `json:"gflops,omitempty"`
}

func init() {
	registerBench(&command{name: "model", summary: "latency and throughput of a checkpoint's forward pass", run: runBenchModel})
}

// runBenchModel is `mxgo bench model`: latency and throughput of Predict on
// random inputs.
func runBenchModel(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench model", stderr)
	mf := addModelFlags(fs)
	batch := fs.Int("batch", 1, "batch size")
	threads := fs.Int("threads", runtime.GOMAXPROCS(0), "goroutines per kernel")
	dur := fs.Duration("time", time.Second, "how long to measure after warm-up")
	asJSON := fs.Bool("json", false, "print one JSON object")
	profile := fs.Bool("profile", false, "also time every plan step and print them slowest first (node, op, output shape, mean and fastest time, % of the steps' total, GFLOP/s of convolutions and FullyConnected at the mean); the profile runs the batch whole, without a batch split")
	rounds := fs.Int("rounds", 200, "forward passes -profile times")
	shapes := shapeFlags{}
	fs.Var(shapes, "shape", "data input shape `NAME=D0,D1,...` (the batch dim is replaced by -batch); default: the input's __shape__ or what the first FullyConnected implies")
	pos, err := parseArgs(fs, args, 0, 2, "PREFIX EPOCH | -symbol S.json -params P.params")
	if err != nil {
		return err
	}
	if *batch < 1 || *threads < 1 || *rounds < 1 {
		return fmt.Errorf("-batch, -threads and -rounds must be >= 1")
	}
	ck, _, err := mf.load(pos)
	if err != nil {
		return err
	}
	in, inShapes, err := benchInputs(ck, shapes, *batch)
	if err != nil {
		return err
	}
	m, err := executor.Bind(ck.Symbol, ck.Args, ck.Aux, inShapes, executor.WithThreads(*threads))
	if err != nil {
		return err
	}
	ordered := make([]*tensor.Tensor, 0, len(in))
	for _, name := range m.InputNames() {
		ordered = append(ordered, in[name])
	}
	res, err := measurePredict(m, ordered, *dur)
	if err != nil {
		return err
	}
	res.Batch, res.Threads = *batch, *threads
	info := m.PlanInfo()
	res.BatchSplit, res.ChunkRows = info.BatchSplit, info.ChunkRows
	if *profile {
		prof, err := m.Profile(context.Background(), ordered, *rounds)
		if err != nil {
			return err
		}
		res.Profile = profileRows(prof)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "batch %d, threads %d: p50 %.1f µs, p90 %.1f µs, %.0f samples/s, %.2f allocs/predict (%d calls)\n",
		res.Batch, res.Threads, res.P50us, res.P90us, res.SamplesPerS, res.AllocsPerPredict, res.Calls)
	if res.BatchSplit > 0 {
		fmt.Fprintf(stdout, "batch split over %d goroutines, chunks of up to %d samples through the whole network\n", res.BatchSplit, res.ChunkRows)
	}
	if *profile {
		printProfile(stdout, res.Profile, *rounds)
	}
	return nil
}

// profileRows turns Model.Profile's steps into rows, slowest first (ties
// in plan order).
func profileRows(prof []executor.StepProfile) []benchStep {
	rows := make([]benchStep, len(prof))
	for i, sp := range prof {
		rows[i] = benchStep{Node: sp.Node, Op: sp.Op, Shape: sp.Shape, MeanUs: float64(sp.Mean.Nanoseconds()) / 1e3,
			MinUs: float64(sp.Min.Nanoseconds()) / 1e3, Percent: sp.Percent, GFLOPS: sp.GFLOPS}
	}
	slices.SortStableFunc(rows, func(a, b benchStep) int { return cmp.Compare(b.MeanUs, a.MeanUs) })
	return rows
}

// printProfile prints the -profile table.
func printProfile(w io.Writer, rows []benchStep, rounds int) {
	var sum float64
	for _, r := range rows {
		sum += r.MeanUs
	}
	fmt.Fprintf(w, "per step, mean of %d passes (steps sum to %.1f µs):\n", rounds, sum)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "node\top\tshape\tmean µs\tmin µs\t%\tGFLOP/s\t")
	for _, r := range rows {
		gf := ""
		if r.GFLOPS > 0 {
			gf = fmt.Sprintf("%.1f", r.GFLOPS)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%s\t\n", r.Node, r.Op, tensor.ShapeString(r.Shape), r.MeanUs, r.MinUs, r.Percent, gf)
	}
	tw.Flush()
}

// measurePredict warms up (enough calls for the pools a batch split's
// goroutines fill the first times they overlap), then calls Predict for
// about d, timing each call and counting the allocations of all of them.
func measurePredict(m *executor.Model, in []*tensor.Tensor, d time.Duration) (benchModelResult, error) {
	ctx := context.Background()
	var out []*tensor.Tensor
	var err error
	for range 20 {
		if out, err = m.Predict(ctx, in, out); err != nil {
			return benchModelResult{}, err
		}
	}
	// Allocations are counted over the timed calls (nothing else runs in
	// the process; the latencies' slice is allocated before), at the
	// process's GOMAXPROCS: at GOMAXPROCS 1, as testing.AllocsPerRun
	// counts, a model's second thread could not run beside the first,
	// which then parked (the runtime allocating now and then) as it does
	// not in use, and 50 calls after the warm-up caught the last pool
	// fills (0.02–0.06 per call at batch 8 on 2 threads; 0.00 over the
	// timed calls).
	var before, after runtime.MemStats
	lat := make([]time.Duration, 0, 1<<16)
	runtime.ReadMemStats(&before)
	start := time.Now()
	for time.Since(start) < d || len(lat) < 5 {
		t0 := time.Now()
		if out, err = m.Predict(ctx, in, out); err != nil {
			return benchModelResult{}, err
		}
		lat = append(lat, time.Since(t0))
		if len(lat) == cap(lat) {
			break
		}
	}
	total := time.Since(start)
	runtime.ReadMemStats(&after)
	slices.Sort(lat)
	us := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Nanoseconds()) / 1e3 }
	return benchModelResult{
		P50us:            us(0.5),
		P90us:            us(0.9),
		SamplesPerS:      float64(in[0].Dim(0)*len(lat)) / total.Seconds(),
		AllocsPerPredict: float64(after.Mallocs-before.Mallocs) / float64(len(lat)),
		Calls:            len(lat),
	}, nil
}

// benchInputs makes seeded uniform [0,1) inputs for every data input.
func benchInputs(ck *serialize.Checkpoint, given shapeFlags, batch int) (map[string]*tensor.Tensor, map[string][]int, error) {
	names, err := executor.DataInputs(ck.Symbol, ck.Args, ck.Aux)
	if err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	in := map[string]*tensor.Tensor{}
	shapes := map[string][]int{}
	for _, name := range names {
		s := slices.Clone(given[name])
		if s == nil {
			s = defaultInputShape(ck, name)
		}
		if len(s) == 0 || slices.Contains(s[1:], -1) {
			return nil, nil, fmt.Errorf("input %q: shape unknown; give -shape %s=D0,D1,...", name, name)
		}
		s[0] = batch
		t, err := tensor.New(tensor.Float32, s...)
		if err != nil {
			return nil, nil, fmt.Errorf("input %q: %w", name, err)
		}
		for i := range t.Float32s() {
			t.Float32s()[i] = rng.Float32()
		}
		in[name], shapes[name] = t, s
	}
	return in, shapes, nil
}

// defaultInputShape returns a data input's shape from its __shape__
// attribute, or (1, K) when it feeds a FullyConnected (directly or through
// Flatten) whose weight is (num_hidden, K); nil when neither tells.
func defaultInputShape(ck *serialize.Checkpoint, name string) []int {
	feeds := func(e graph.Entry) bool {
		n := e.Node
		if n.OpName == "Flatten" && len(n.Inputs) == 1 {
			n = n.Inputs[0].Node
		}
		return n.IsVariable() && n.Name == name
	}
	for _, n := range ck.Symbol.Nodes() {
		if n.IsVariable() && n.Name == name && n.Attrs["__shape__"] != "" {
			if s, err := ops.ParseShape(n.Attrs["__shape__"]); err == nil && len(s) > 0 {
				return s
			}
		}
		if n.OpName != "FullyConnected" || len(n.Inputs) < 2 || !feeds(n.Inputs[0]) {
			continue
		}
		if w := ck.Args[n.Inputs[1].Node.Name]; w != nil && w.NDim() == 2 {
			return []int{1, w.Dim(1)}
		}
	}
	return nil
}
