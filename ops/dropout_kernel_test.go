package ops_test

import (
	"testing"

	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

func TestDropoutInference(t *testing.T) {
	x := kaRand(1, 1, 2, 3, 4)
	for _, attrs := range []map[string]string{nil, {"p": "0.7"}, {"p": "0.3", "axes": "(1,)"}, {"p": "0", "mode": "always"}} {
		out := kaRun(t, "Dropout", attrs, x)
		if !tensor.Equal(out[0], x) {
			t.Errorf("%v: output differs from data", attrs)
		}
		for _, m := range out[1].Float32s() {
			if m != 1 {
				t.Fatalf("%v: mask %v, want all 1", attrs, out[1].Float32s())
			}
		}
		kaNoAllocs(t, "Dropout", attrs, x)
	}
}

func TestDropoutActive(t *testing.T) {
	x := kaRand(2, 1, 100, 100)
	for _, c := range []struct {
		attrs map[string]string
		train bool
	}{
		{map[string]string{"p": "0.5"}, true},
		{map[string]string{"p": "0.25", "mode": "always"}, false},
	} {
		out, err := opstest.Run("Dropout", c.attrs, []*tensor.Tensor{x}, &opstest.Options{Train: c.train})
		if err != nil {
			t.Fatal(err)
		}
		p := map[string]float32{"0.5": 0.5, "0.25": 0.25}[c.attrs["p"]]
		scale := 1 / (1 - p)
		dropped := 0
		for i, m := range out[1].Float32s() {
			switch m {
			case 0:
				dropped++
			case scale:
			default:
				t.Fatalf("%v: mask value %g", c.attrs, m)
			}
			if out[0].Float32s()[i] != x.Float32s()[i]*m {
				t.Fatalf("%v: output %g != data %g * mask %g", c.attrs, out[0].Float32s()[i], x.Float32s()[i], m)
			}
		}
		if frac := float32(dropped) / float32(x.Len()); frac < p-0.03 || frac > p+0.03 {
			t.Errorf("%v: dropped fraction %g, want about %g", c.attrs, frac, p)
		}
	}
}

func TestDropoutVariational(t *testing.T) {
	x := kaRand(3, 1, 4, 50, 6)
	out, err := opstest.Run("Dropout", map[string]string{"p": "0.5", "axes": "(1,)"}, []*tensor.Tensor{x}, &opstest.Options{Train: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := out[1].Shape(); got[0] != 4 || got[1] != 1 || got[2] != 6 {
		t.Fatalf("mask shape %v", got)
	}
	m := out[1].Float32s()
	for n := range 4 {
		for c := range 50 {
			for w := range 6 {
				i := (n*50+c)*6 + w
				if want := x.Float32s()[i] * m[n*6+w]; out[0].Float32s()[i] != want {
					t.Fatalf("out[%d,%d,%d] = %g, want %g", n, c, w, out[0].Float32s()[i], want)
				}
			}
		}
	}
	// p = 1 drops everything.
	out, err = opstest.Run("Dropout", map[string]string{"p": "1"}, []*tensor.Tensor{x}, &opstest.Options{Train: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range out[0].Float32s() {
		if v != 0 || out[1].Float32s()[i] != 0 {
			t.Fatalf("p=1: out %g mask %g", v, out[1].Float32s()[i])
		}
	}
}
