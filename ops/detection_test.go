package ops_test

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// TestBoxNMSHiddenOutput checks box_nms's hidden second output (the flat
// input position of each kept row, −1 elsewhere; arange for topk 0)
// against the reference, which TestGoldenOps skips as invisible.
func TestBoxNMSHiddenOutput(t *testing.T) {
	n := 0
	for _, c := range loadGoldens(t) {
		if c.Op != "_contrib_box_nms" && c.Op != "_contrib_box_non_maximum_suppression" {
			continue
		}
		n++
		arrays, err := readNPZ(filepath.Join(goldenDir, c.File))
		if err != nil {
			t.Fatal(err)
		}
		outs, err := opstest.Run(c.Op, c.Attrs, []*tensor.Tensor{arrays["in0"]}, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		want := arrays["out1"]
		if want == nil || !slices.Equal(outs[1].Shape(), want.Shape()) {
			t.Fatalf("%s: hidden output %v, reference %v", c.Name, outs[1], want)
		}
		if err := tensor.Compare(outs[1], want, 0, 0); err != nil {
			t.Errorf("%s: hidden output: %v", c.Name, err)
		}
	}
	if n < 10 {
		t.Fatalf("only %d box_nms goldens", n)
	}
}

// TestDetectionBadAttributes: attribute values outside MXNet's domain fail
// at parse or shape inference with an error naming the attribute.
func TestDetectionBadAttributes(t *testing.T) {
	for _, tc := range []struct {
		op     string
		attrs  map[string]string
		shapes []ops.Shape
		want   string
	}{
		{"_contrib_box_nms", map[string]string{"topk": "-2"}, []ops.Shape{{4, 6}}, "topk"},
		{"_contrib_box_nms", map[string]string{"in_format": "xywh"}, []ops.Shape{{4, 6}}, "in_format"},
		{"_contrib_box_nms", map[string]string{"overlap_thresh": "x"}, []ops.Shape{{4, 6}}, "overlap_thresh"},
		{"_contrib_box_nms", map[string]string{"coord_start": "3"}, []ops.Shape{{4, 6}}, "coord_start"},
		{"_contrib_box_nms", map[string]string{"coord_start": "-1", "score_index": "5"}, []ops.Shape{{4, 6}}, "coord_start"},
		{"_contrib_box_nms", map[string]string{"score_index": "3"}, []ops.Shape{{4, 6}}, "score_index"},
		{"_contrib_box_nms", map[string]string{"score_index": "6"}, []ops.Shape{{4, 6}}, "score_index"},
		{"_contrib_box_nms", map[string]string{"id_index": "1"}, []ops.Shape{{4, 6}}, "id_index"},
		{"_contrib_box_nms", map[string]string{"id_index": "4"}, []ops.Shape{{4, 6}}, "id_index"},
		{"_contrib_box_nms", map[string]string{"id_index": "0"}, []ops.Shape{{4, 5}}, "width"},
		{"_contrib_box_nms", nil, []ops.Shape{{6}}, "2 dims"},
		{"_contrib_box_iou", map[string]string{"format": "corners"}, []ops.Shape{{2, 4}, {3, 4}}, "format"},
		{"_contrib_box_iou", nil, []ops.Shape{{2, 5}, {3, 4}}, "lhs"},
		{"_contrib_box_iou", nil, []ops.Shape{{2, 4}, {4}}, "rhs"},
		{"_contrib_MultiBoxPrior", map[string]string{"offsets": "(0.5, 1.5)"}, []ops.Shape{{1, 3, 4, 4}}, "offsets"},
		{"_contrib_MultiBoxPrior", map[string]string{"steps": "(0.1,)"}, []ops.Shape{{1, 3, 4, 4}}, "steps"},
		{"_contrib_MultiBoxPrior", map[string]string{"steps": "(-1, 0.5)"}, []ops.Shape{{1, 3, 4, 4}}, "steps"},
		{"_contrib_MultiBoxPrior", map[string]string{"sizes": "()"}, []ops.Shape{{1, 3, 4, 4}}, "sizes"},
		{"_contrib_MultiBoxPrior", map[string]string{"ratios": "(1, x)"}, []ops.Shape{{1, 3, 4, 4}}, "ratios"},
		{"_contrib_MultiBoxPrior", map[string]string{"size": "(1,)"}, []ops.Shape{{1, 3, 4, 4}}, "size"},
		{"_contrib_MultiBoxPrior", nil, []ops.Shape{{1, 3, 4}}, "4-D"},
		{"_contrib_MultiBoxPrior", nil, []ops.Shape{{1, 3, 0, 4}}, "height"},
		{"_contrib_MultiBoxDetection", map[string]string{"variances": "(0.1, 0.1, 0.2)"},
			[]ops.Shape{{1, 3, 5}, {1, 20}, {1, 5, 4}}, "variances"},
		{"_contrib_MultiBoxDetection", nil, []ops.Shape{{1, 3, 5}, {1, 16}, {1, 5, 4}}, "loc_pred"},
		{"_contrib_MultiBoxDetection", nil, []ops.Shape{{1, 3, 5}, {1, 20}, {1, 4, 4}}, "anchors"},
		{"_contrib_MultiBoxDetection", nil, []ops.Shape{{1, 3, 5}, {1, 20}, {2, 5, 4}}, "anchor"},
		{"_contrib_MultiBoxTarget", map[string]string{"negative_mining_ratio": "3", "negative_mining_thresh": "0"},
			[]ops.Shape{{1, 5, 4}, {1, 2, 5}, {1, 3, 5}}, "negative_mining_thresh"},
		{"_contrib_MultiBoxTarget", map[string]string{"variances": "[]"},
			[]ops.Shape{{1, 5, 4}, {1, 2, 5}, {1, 3, 5}}, "variances"},
		{"_contrib_MultiBoxTarget", nil, []ops.Shape{{1, 5, 4}, {1, 2, 4}, {1, 3, 5}}, "label width"},
		{"_contrib_MultiBoxTarget", nil, []ops.Shape{{2, 5, 4}, {1, 2, 5}, {1, 3, 5}}, "first dimension"},
		{"_contrib_MultiBoxTarget", nil, []ops.Shape{{1, 5, 4}, {1, 2, 5}, {1, 0, 5}}, "at least one class"},
		{"_contrib_MultiBoxTarget", nil, []ops.Shape{{1, 5, 4}, {3, 2, 5}, {2, 3, 5}}, "batch size mismatch"},
	} {
		op, ok := ops.Lookup(tc.op)
		if !ok {
			t.Fatalf("%s not registered", tc.op)
		}
		err := func() error {
			p, err := op.Parse(tc.attrs)
			if err != nil {
				return err
			}
			in := make([]ops.Shape, len(tc.shapes))
			for i, s := range tc.shapes {
				in[i] = slices.Clone(s)
			}
			return op.InferShape(p, in, make([]ops.Shape, op.Outputs(p)))
		}()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v %v: error %v, want one mentioning %q", tc.op, tc.attrs, tc.shapes, err, tc.want)
		}
	}
}

// TestMultiBoxTargetBadPadding: a label row with class −1 but a real box
// is rejected at run time, as MXNet's CHECK does.
func TestMultiBoxTargetBadPadding(t *testing.T) {
	anc, _ := tensor.FromSlice([]float32{0, 0, 0.5, 0.5, 0.5, 0.5, 1, 1}, 1, 2, 4)
	lab, _ := tensor.FromSlice([]float32{0, 0, 0, 0.5, 0.5, -1, 0.1, 0.1, 0.2, 0.2}, 1, 2, 5)
	cp, _ := tensor.New(tensor.Float32, 1, 2, 2)
	_, err := opstest.Run("_contrib_MultiBoxTarget", nil, []*tensor.Tensor{anc, lab, cp}, nil)
	if err == nil || !strings.Contains(err.Error(), "padding") {
		t.Fatalf("error %v, want a padding-row error", err)
	}
}

// FuzzDetectionAttrs: arbitrary attribute strings never panic the parsers
// or shape inference of the detection ops.
func FuzzDetectionAttrs(f *testing.F) {
	for _, s := range []string{"(1,2,0.5)", "[0.1, 0.2]", "0.3", "()", "None", "(1e40,)", "(-1.0, -1.0)", "-2", "3", "(,)", "(1 2)"} {
		f.Add(s, uint8(0))
	}
	keys := map[string][]string{
		"_contrib_MultiBoxPrior":     {"sizes", "ratios", "steps", "offsets", "clip"},
		"_contrib_MultiBoxDetection": {"variances", "nms_topk", "threshold", "nms_threshold"},
		"_contrib_MultiBoxTarget":    {"variances", "negative_mining_ratio", "overlap_threshold"},
		"_contrib_box_nms":           {"topk", "coord_start", "score_index", "id_index", "in_format"},
	}
	shapes := map[string][]ops.Shape{
		"_contrib_MultiBoxPrior":     {{1, 3, 5, 4}},
		"_contrib_MultiBoxDetection": {{2, 3, 5}, {2, 20}, {1, 5, 4}},
		"_contrib_MultiBoxTarget":    {{1, 5, 4}, {2, 3, 5}, {2, 3, 5}},
		"_contrib_box_nms":           {{2, 7, 6}},
	}
	names := []string{"_contrib_MultiBoxPrior", "_contrib_MultiBoxDetection", "_contrib_MultiBoxTarget", "_contrib_box_nms"}
	f.Fuzz(func(t *testing.T, v string, sel uint8) {
		name := names[int(sel)%len(names)]
		k := keys[name][int(sel/4)%len(keys[name])]
		op, _ := ops.Lookup(name)
		p, err := op.Parse(map[string]string{k: v})
		if err != nil {
			return
		}
		in := make([]ops.Shape, 0)
		for _, s := range shapes[name] {
			in = append(in, slices.Clone(s))
		}
		_ = op.InferShape(p, in, make([]ops.Shape, op.Outputs(p)))
	})
}

// BenchmarkBoxNMS: box_nms on a 1×6000×6 proposal set (SSD/Faster R-CNN
// scale) of random boxes in 20 classes: class-aware (id_index 0) and
// force_suppress (every pair compared).
func BenchmarkBoxNMS(b *testing.B) {
	const n = 6000
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]float32, n*6)
	for i := range n {
		x, y := r.Float32()*0.9, r.Float32()*0.9
		w, h := 0.02+r.Float32()*0.1, 0.02+r.Float32()*0.1
		copy(data[i*6:], []float32{float32(r.IntN(20)), r.Float32(), x, y, x + w, y + h})
	}
	x, _ := tensor.FromSlice(data, 1, n, 6)
	op, _ := ops.Lookup("_contrib_box_nms")
	for _, bc := range []struct {
		name  string
		attrs map[string]string
	}{
		{"class_aware", map[string]string{"id_index": "0", "overlap_thresh": "0.5"}},
		{"force_suppress", map[string]string{"id_index": "0", "force_suppress": "True", "overlap_thresh": "0.5"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p, err := op.Parse(bc.attrs)
			if err != nil {
				b.Fatal(err)
			}
			in := []ops.Shape{{1, n, 6}}
			out := make([]ops.Shape, 2)
			if err := op.InferShape(p, in, out); err != nil {
				b.Fatal(err)
			}
			y, _ := tensor.New(tensor.Float32, out[0]...)
			rec, _ := tensor.New(tensor.Float32, out[1]...)
			ctx := &ops.Ctx{Threads: 1, Scratch: make([]float32, op.Workspace(p, in))}
			ins, outs := []*tensor.Tensor{x}, []*tensor.Tensor{y, rec}
			b.ReportAllocs()
			for b.Loop() {
				if err := op.Forward(ctx, p, ins, outs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
