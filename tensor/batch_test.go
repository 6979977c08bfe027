package tensor

import (
	"fmt"
	"math"
	"testing"
)

func TestArgMaxTopK(t *testing.T) {
	nan := float32(math.NaN())
	x, err := FromSlice([]float32{
		0.1, 0.7, 0.2, 0.7,
		3, 2, 1, 0,
		-1, nan, 5, 6,
	}, 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	am, err := ArgMax(x)
	if err != nil {
		t.Fatal(err)
	}
	// numpy.argmax: first maximum; NaN wins.
	if fmt.Sprint(am) != "[1 0 1]" {
		t.Fatalf("ArgMax = %v, want [1 0 1]", am)
	}
	top, err := TopK(x, 3)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(top) != "[[1 3 2] [0 1 2] [1 3 2]]" {
		t.Fatalf("TopK = %v", top)
	}
	// Other dtypes, and k past the row length.
	y, _ := FromSlice([]float64{2, 9, 4}, 3)
	if top, _ := TopK(y, 10); fmt.Sprint(top) != "[[1 2 0]]" {
		t.Fatalf("TopK float64 = %v", top)
	}
	if am, _ := ArgMax(y); fmt.Sprint(am) != "[1]" {
		t.Fatalf("ArgMax float64 = %v", am)
	}
	if _, err := TopK(x, 0); err == nil {
		t.Fatal("TopK(0) accepted")
	}
	empty, _ := New(Float32, 2, 0)
	if _, err := ArgMax(empty); err == nil {
		t.Fatal("ArgMax of an empty last axis accepted")
	}
}

func TestStackSample(t *testing.T) {
	a, _ := FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	b, _ := FromSlice([]float32{5, 6, 7, 8}, 2, 2)
	s, err := Stack(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if s.String() != "float32(2,2,2)" || fmt.Sprint(s.Float32s()) != "[1 2 3 4 5 6 7 8]" {
		t.Fatalf("Stack = %s %v", s, s.Float32s())
	}
	v, err := s.Sample(1)
	if err != nil {
		t.Fatal(err)
	}
	if v.String() != "float32(2,2)" || fmt.Sprint(v.Float32s()) != "[5 6 7 8]" {
		t.Fatalf("Sample(1) = %s %v", v, v.Float32s())
	}
	v.Float32s()[0] = 50 // a view: writes go through
	if s.Float32s()[4] != 50 {
		t.Fatal("Sample is not a view")
	}
	if _, err := s.Sample(2); err == nil {
		t.Fatal("Sample(2) of a batch of 2 accepted")
	}
	c, _ := FromSlice([]float32{1, 2}, 2)
	if _, err := Stack(a, c); err == nil {
		t.Fatal("Stack of different shapes accepted")
	}
	if _, err := Stack(); err == nil {
		t.Fatal("empty Stack accepted")
	}
}

// TestViewRows checks ViewRows' shape, shared storage, bounds and that a
// kept view is re-pointed without allocating.
func TestViewRows(t *testing.T) {
	x, _ := FromSlice([]float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 4, 3)
	var v Tensor
	if err := x.ViewRows(&v, 1, 3); err != nil {
		t.Fatal(err)
	}
	if got := v.Shape(); len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Fatalf("shape %v, want (2,3)", got)
	}
	if got := v.Float32s(); len(got) != 6 || got[0] != 3 || got[5] != 8 {
		t.Fatalf("rows %v, want 3..8", got)
	}
	v.Float32s()[0] = -1
	if x.Float32s()[3] != -1 {
		t.Fatal("a write through the view did not reach t")
	}
	if err := x.ViewRows(&v, 4, 4); err != nil || v.Len() != 0 || v.Dim(0) != 0 {
		t.Fatalf("empty range: %v, %v", err, &v)
	}
	for _, r := range [][2]int{{-1, 1}, {2, 1}, {0, 5}} {
		if err := x.ViewRows(&v, r[0], r[1]); err == nil {
			t.Errorf("rows %v of 4: no error", r)
		}
	}
	scalar, _ := New(Float32)
	if err := scalar.ViewRows(&v, 0, 0); err == nil {
		t.Error("a 0-D tensor: no error")
	}
	if n := testing.AllocsPerRun(100, func() { _ = x.ViewRows(&v, 1, 2) }); n != 0 {
		t.Errorf("ViewRows into a kept view allocates %v times", n)
	}
}
