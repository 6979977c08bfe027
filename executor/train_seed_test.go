package executor_test

import (
	"context"
	"testing"

	"github.com/mxgo/mxgo/executor"
	"github.com/mxgo/mxgo/graph"
)

// TestTrainDropoutSeed: with WithSeed, Dropout's training masks are
// reproducible; different seeds give different masks.
func TestTrainDropoutSeed(t *testing.T) {
	data := graph.Variable("data")
	drop, err := graph.Apply("Dropout", graph.Call{Name: "drop", Inputs: []*graph.Symbol{data}, Attrs: map[string]string{"p": "0.5"}})
	if err != nil {
		t.Fatal(err)
	}
	run := func(seed uint64) []float32 {
		tr, err := executor.BindTrain(drop, nil, nil, map[string][]int{"data": {4, 64}}, executor.WithSeed(seed))
		if err != nil {
			t.Fatal(err)
		}
		x := tr.Arg("data").Float32s()
		for i := range x {
			x[i] = 1
		}
		var all []float32
		for range 2 { // two steps: the source advances
			if err := tr.Forward(context.Background(), true); err != nil {
				t.Fatal(err)
			}
			all = append(all, tr.Output(0).Float32s()...)
		}
		return all
	}
	a, b, c := run(7), run(7), run(8)
	same, zeros := true, 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("seed 7 twice: element %d is %v then %v", i, a[i], b[i])
		}
		same = same && a[i] == c[i]
		if a[i] == 0 {
			zeros++
		}
	}
	if same {
		t.Error("seeds 7 and 8 give the same masks")
	}
	if zeros < len(a)/4 || zeros > 3*len(a)/4 {
		t.Errorf("%d of %d dropped with p=0.5", zeros, len(a))
	}
}
