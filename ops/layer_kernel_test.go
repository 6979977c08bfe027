package ops_test

import (
	"math"
	"strings"
	"testing"

	"github.com/mxgo/mxgo/ops"
	"github.com/mxgo/mxgo/ops/opstest"
	"github.com/mxgo/mxgo/tensor"
)

// zeros returns a float32 tensor of shape filled with zeros.
func layerZeros(shape ...int) *tensor.Tensor {
	t, err := tensor.New(tensor.Float32, shape...)
	if err != nil {
		panic(err)
	}
	return t
}

// TestLayerBadAttributes checks that attribute values outside MXNet's
// domain (or that MXNet's CHECKs reject for the input shapes) fail with an
// error naming the attribute, never a panic.
func TestLayerBadAttributes(t *testing.T) {
	x := layerZeros(1, 2, 5, 6)
	cases := []struct {
		op    string
		attrs map[string]string
		in    []*tensor.Tensor
		want  string
	}{
		{"Crop", map[string]string{"num_args": "3"}, []*tensor.Tensor{x, x, x}, "num_args 3"},
		{"Crop", map[string]string{"num_args": "4"}, []*tensor.Tensor{x}, "num_args"},
		{"Crop", map[string]string{"num_args": "0"}, nil, "num_args"},
		{"Crop", map[string]string{"num_args": "1"}, []*tensor.Tensor{x}, "h_w"},
		{"Crop", map[string]string{"num_args": "1", "h_w": "(6, 2)"}, []*tensor.Tensor{x}, "larger than the data"},
		{"Crop", map[string]string{"num_args": "1", "h_w": "(2,)"}, []*tensor.Tensor{x}, "h_w"},
		{"Crop", map[string]string{"num_args": "1", "h_w": "(2, 2)", "offset": "(4, 0)"}, []*tensor.Tensor{x}, "offset"},
		{"Crop", map[string]string{"num_args": "1", "h_w": "(2, 2)", "offset": "(-1, 0)"}, []*tensor.Tensor{x}, "offset"},
		{"Crop", map[string]string{"num_args": "2"}, []*tensor.Tensor{x, layerZeros(1, 1, 3, 7)}, "larger than the data"},
		{"Crop", map[string]string{"num_args": "1", "h_w": "(2, 2)"}, []*tensor.Tensor{layerZeros(2, 5, 6)}, "4-D"},
		{"Pad", map[string]string{"mode": "constant", "pad_width": "(0,0,0,0,-1,0,0,0)"}, []*tensor.Tensor{x}, "pad_width"},
		{"Pad", map[string]string{"mode": "constant", "pad_width": "(0,0,0,0,1,1)"}, []*tensor.Tensor{x}, "pad_width"},
		{"Pad", map[string]string{"mode": "edge", "pad_width": "(0,1,0,0,1,1,1,1)"}, []*tensor.Tensor{x}, "first two axes"},
		{"Pad", map[string]string{"mode": "reflect", "pad_width": "(0,0,0,0,5,0,1,1)"}, []*tensor.Tensor{x}, "reflect"},
		{"Pad", map[string]string{"mode": "reflect", "pad_width": "(0,0,0,0,1,1,1,6)"}, []*tensor.Tensor{x}, "reflect"},
		{"Pad", map[string]string{"mode": "constant", "pad_width": "(0,0,0,0,1,1)"}, []*tensor.Tensor{layerZeros(2, 3, 4)}, "4-D or 5-D"},
		{"Pad", map[string]string{"mode": "wrap", "pad_width": "(0,0,0,0,1,1,1,1)"}, []*tensor.Tensor{x}, "mode"},
		{"Pad", map[string]string{"mode": "constant", "pad_width": "(0,0,0,0,1,1,1,9223372036854775807)"}, []*tensor.Tensor{x}, "overflows"},
		{"L2Normalization", map[string]string{"mode": "channel"}, []*tensor.Tensor{layerZeros(3, 4)}, "mode channel"},
		{"L2Normalization", map[string]string{"mode": "spatial"}, []*tensor.Tensor{layerZeros(3, 4)}, "mode spatial"},
		{"L2Normalization", map[string]string{"mode": "batch"}, []*tensor.Tensor{x}, "mode"},
		{"MakeLoss", map[string]string{"normalization": "sum"}, []*tensor.Tensor{x}, "normalization"},
		{"_contrib_div_sqrt_dim", nil, []*tensor.Tensor{layerZeros()}, "at least 1 dim"},
		{"_contrib_AdaptiveAvgPooling2D", map[string]string{"output_size": "(0, 2)"}, []*tensor.Tensor{x}, "output_size"},
		{"_contrib_AdaptiveAvgPooling2D", map[string]string{"output_size": "-3"}, []*tensor.Tensor{x}, "output_size"},
		{"_contrib_AdaptiveAvgPooling2D", nil, []*tensor.Tensor{layerZeros(2, 5, 6)}, "4-D"},
		{"_contrib_BilinearResize2D", map[string]string{"height": "0"}, []*tensor.Tensor{x}, "height"},
		{"_contrib_BilinearResize2D", map[string]string{"mode": "odd_scale"}, []*tensor.Tensor{x}, "scale_height"},
		{"_contrib_BilinearResize2D", map[string]string{"scale_height": "2"}, []*tensor.Tensor{x}, "scale_width"},
		{"_contrib_BilinearResize2D", map[string]string{"scale_height": "0.1", "scale_width": "1"}, []*tensor.Tensor{x}, "height"},
		{"_contrib_BilinearResize2D", map[string]string{"mode": "to_even_down"}, []*tensor.Tensor{layerZeros(1, 1, 1, 4)}, "height"},
		{"_contrib_BilinearResize2D", map[string]string{"height": "40000", "width": "2"}, []*tensor.Tensor{x}, "int16"},
		{"_contrib_BilinearResize2D", map[string]string{"mode": "like"}, []*tensor.Tensor{x, layerZeros(3, 4)}, "like"},
		{"_contrib_ROIAlign", map[string]string{"pooled_size": "(2,)", "spatial_scale": "1"}, []*tensor.Tensor{x, layerZeros(1, 5)}, "pooled_size"},
		{"_contrib_ROIAlign", map[string]string{"pooled_size": "(2, 0)", "spatial_scale": "1"}, []*tensor.Tensor{x, layerZeros(1, 5)}, "pooled_size"},
		{"_contrib_ROIAlign", map[string]string{"pooled_size": "(2, 2)", "spatial_scale": "1.5"}, []*tensor.Tensor{x, layerZeros(1, 5)}, "spatial_scale"},
		{"_contrib_ROIAlign", map[string]string{"pooled_size": "(2, 2)"}, []*tensor.Tensor{x, layerZeros(1, 5)}, "spatial_scale"},
		{"_contrib_ROIAlign", map[string]string{"pooled_size": "(2, 2)", "spatial_scale": "1"}, []*tensor.Tensor{x, layerZeros(1, 4)}, "rois"},
		{"_contrib_ROIAlign", map[string]string{"pooled_size": "(2, 2)", "spatial_scale": "1", "position_sensitive": "true"}, []*tensor.Tensor{x, layerZeros(1, 5)}, "position_sensitive"},
	}
	for _, c := range cases {
		_, err := opstest.Run(c.op, c.attrs, c.in, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: error %v, want one mentioning %q", c.op, c.attrs, err, c.want)
		}
	}
}

// TestCropForward checks the legacy Crop by hand: offsets, centre crops
// (rounding down) and crop_like, which only contributes its shape.
func TestCropForward(t *testing.T) {
	x := kaT([]int{1, 1, 3, 4}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
	kaExpect(t, "Crop", map[string]string{"num_args": "1", "h_w": "(2, 2)", "offset": "(1, 2)"}, []*tensor.Tensor{x},
		[]int{1, 1, 2, 2}, []float64{6, 7, 10, 11}, 0, 0)
	kaExpect(t, "Crop", map[string]string{"num_args": "1", "h_w": "(2, 1)", "center_crop": "true", "offset": "(9, 9)"},
		[]*tensor.Tensor{x}, []int{1, 1, 2, 1}, []float64{1, 5}, 0, 0)
	like := layerZeros(7, 7, 1, 3)
	kaExpect(t, "Crop", map[string]string{"num_args": "2", "offset": "(2, 1)"}, []*tensor.Tensor{x, like},
		[]int{1, 1, 1, 3}, []float64{9, 10, 11}, 0, 0)
	// crop still takes the slice op's alias name, case-sensitively distinct
	if op, _ := ops.Lookup("crop"); op == nil || op.Name != "slice" {
		t.Errorf("crop resolves to %v, want slice", op)
	}
	kaNoAllocs(t, "Crop", map[string]string{"num_args": "2"}, x, like)
}

// TestPadForward checks the three modes by hand on one row.
func TestPadForward(t *testing.T) {
	x := kaT([]int{1, 1, 1, 3}, 1, 2, 3)
	for mode, want := range map[string][]float64{
		"constant": {7, 7, 1, 2, 3, 7},
		"edge":     {1, 1, 1, 2, 3, 3},
		"reflect":  {3, 2, 1, 2, 3, 2},
	} {
		attrs := map[string]string{"mode": mode, "pad_width": "(0,0,0,0,0,0,2,1)", "constant_value": "7"}
		kaExpect(t, "Pad", attrs, []*tensor.Tensor{x}, []int{1, 1, 1, 6}, want, 0, 0)
		kaNoAllocs(t, "pad", attrs, x)
	}
}

// TestROIAlignRoiChecks covers the data-dependent cases: a negative batch
// index gives zeros, one past the batch and an empty aligned roi are
// errors.
func TestROIAlignRoiChecks(t *testing.T) {
	x := kaRand(1, 1, 2, 2, 5, 5)
	attrs := map[string]string{"pooled_size": "(2, 2)", "spatial_scale": "1"}
	rois := kaT([]int{2, 5}, -1, 0, 0, 3, 3, 1, 1, 1, 4, 4)
	out := kaRun(t, "_contrib_ROIAlign", attrs, x, rois)
	for i := range 8 {
		if v := out[0].Float32s()[i]; v != 0 {
			t.Fatalf("roi with batch -1: output[%d] = %v, want 0", i, v)
		}
	}
	kaNoAllocs(t, "_contrib_ROIAlign", attrs, x, rois)
	if _, err := kaRunErr("_contrib_ROIAlign", attrs, x, kaT([]int{1, 5}, 2, 0, 0, 1, 1)); err == nil || !strings.Contains(err.Error(), "batch index") {
		t.Errorf("batch index 2 of 2: error %v", err)
	}
	al := map[string]string{"pooled_size": "(2, 2)", "spatial_scale": "1", "aligned": "true"}
	if _, err := kaRunErr("_contrib_ROIAlign", al, x, kaT([]int{1, 5}, 0, 2, 2, 2, 3)); err == nil || !strings.Contains(err.Error(), "aligned") {
		t.Errorf("empty aligned roi: error %v", err)
	}
}

// TestLayerNoAllocs checks the remaining layer kernels do not allocate.
func TestLayerNoAllocs(t *testing.T) {
	x := kaRand(2, 1, 2, 3, 5, 4)
	kaNoAllocs(t, "L2Normalization", map[string]string{"mode": "channel"}, x)
	kaNoAllocs(t, "L2Normalization", map[string]string{"mode": "spatial"}, x)
	kaNoAllocs(t, "L2Normalization", nil, x)
	kaNoAllocs(t, "MakeLoss", nil, x)
	kaNoAllocs(t, "_contrib_div_sqrt_dim", nil, x)
	kaNoAllocs(t, "smooth_l1", map[string]string{"scalar": "2"}, x)
	kaNoAllocs(t, "_contrib_AdaptiveAvgPooling2D", map[string]string{"output_size": "(3, 2)"}, x)
	kaNoAllocs(t, "_contrib_BilinearResize2D", map[string]string{"height": "7", "width": "3"}, x)
	kaNoAllocs(t, "_contrib_BilinearResize2D", map[string]string{"mode": "like"}, x, layerZeros(1, 1, 2, 9))
	kaNoAllocs(t, "Pad", map[string]string{"mode": "reflect", "pad_width": "(0,0,0,0,0,0,2,1,1,2)"}, kaRand(3, 1, 1, 2, 3, 4, 5))
}

// layerFuzzOps are the ops FuzzLayerAttrs drives, with three attribute
// keys each that the fuzzer fills.
var layerFuzzOps = []struct {
	op   string
	keys [3]string
	nin  int
}{
	{"Crop", [3]string{"num_args", "offset", "h_w"}, 1},
	{"Crop", [3]string{"offset", "center_crop", "h_w"}, 2},
	{"Pad", [3]string{"mode", "pad_width", "constant_value"}, 1},
	{"L2Normalization", [3]string{"mode", "eps", "eps"}, 1},
	{"MakeLoss", [3]string{"grad_scale", "normalization", "valid_thresh"}, 1},
	{"smooth_l1", [3]string{"scalar", "is_int", "scalar"}, 1},
	{"_contrib_AdaptiveAvgPooling2D", [3]string{"output_size", "output_size", "output_size"}, 1},
	{"_contrib_BilinearResize2D", [3]string{"height", "scale_height", "mode"}, 1},
	{"_contrib_BilinearResize2D", [3]string{"width", "scale_width", "align_corners"}, 1},
	{"_contrib_BilinearResize2D", [3]string{"mode", "scale_height", "scale_width"}, 2},
	{"_contrib_ROIAlign", [3]string{"pooled_size", "spatial_scale", "sample_ratio"}, 2},
	{"_contrib_ROIAlign", [3]string{"pooled_size", "position_sensitive", "aligned"}, 2},
}

// FuzzLayerAttrs feeds arbitrary attribute strings and small input shapes
// to the layer ops: parsing, inference and the kernel must return errors,
// never panic, and never allocate an output beyond the bound checked here.
func FuzzLayerAttrs(f *testing.F) {
	f.Add(uint8(0), "1", "(1, 1)", "(2, 2)", uint8(4), uint8(5), uint8(3), float32(1))
	f.Add(uint8(2), "reflect", "(0,0,0,0,1,2,3,1)", "2.5", uint8(4), uint8(5), uint8(3), float32(1))
	f.Add(uint8(7), "9", "1.5", "odd_scale", uint8(5), uint8(3), uint8(2), float32(1))
	f.Add(uint8(9), "like", "None", "None", uint8(5), uint8(3), uint8(2), float32(1))
	f.Add(uint8(10), "(2, 3)", "0.5", "-1", uint8(6), uint8(7), uint8(3), float32(12))
	f.Add(uint8(11), "(1, 2)", "true", "true", uint8(6), uint8(4), uint8(3), float32(-3))
	f.Fuzz(func(t *testing.T, which uint8, a, b, c string, h, w, r uint8, roi float32) {
		spec := layerFuzzOps[int(which)%len(layerFuzzOps)]
		attrs := map[string]string{"spatial_scale": "1", "pooled_size": "(2, 2)", "num_args": "2", "mode": "constant",
			"pad_width": "(0,0,0,0,1,1,1,1)"}
		switch spec.op {
		case "Crop":
			if spec.nin == 1 {
				attrs = map[string]string{"num_args": "1"}
			}
		case "L2Normalization", "MakeLoss", "smooth_l1", "_contrib_AdaptiveAvgPooling2D", "_contrib_BilinearResize2D":
			attrs = map[string]string{}
			if spec.nin == 2 {
				attrs["mode"] = "like"
			}
		case "_contrib_ROIAlign":
			attrs = map[string]string{"spatial_scale": "1", "pooled_size": "(2, 2)"}
		}
		for i, v := range []string{a, b, c} {
			attrs[spec.keys[i]] = v
		}
		H, W := int(h%9), int(w%9)
		x := kaRand(uint64(h)*31+uint64(w), 2, 1, 4, H, W)
		in := []*tensor.Tensor{x}
		if spec.nin == 2 {
			if spec.op == "_contrib_ROIAlign" {
				in = append(in, kaT([]int{2, 5}, float32(r%3)-1, roi, -roi, roi*2, float32(r), 0, 0.5, 1, 3, roi))
			} else {
				in = append(in, layerZeros(1, 1, int(r%7), int(r%5)))
			}
		}
		op, _ := ops.Lookup(spec.op)
		params, err := op.Parse(attrs)
		if err != nil {
			return
		}
		if len(op.Inputs(params)) != len(in) {
			return
		}
		shapes := make([]ops.Shape, len(in))
		for i, t := range in {
			shapes[i] = t.Shape()
		}
		outs := make([]ops.Shape, op.Outputs(params))
		if err := op.InferShape(params, shapes, outs); err != nil {
			return
		}
		for _, s := range outs {
			n := 1
			for _, d := range s {
				if d < 0 || d > 1<<12 {
					return
				}
				n *= d
			}
			if n > 1<<16 {
				return
			}
		}
		_, _ = opstest.Run(spec.op, attrs, in, nil)
	})
}

// TestBilinearResizeMXNetValues checks the values MXNet 1.9.1's own
// test_bilinear_resize_op states (check_bilinear_resize_align_corners_op)
// for a 3×2 image resized to 6×4, with and without align_corners.
func TestBilinearResizeMXNetValues(t *testing.T) {
	x := kaT([]int{1, 1, 3, 2}, 64, 32, 32, 64, 50, 100)
	want := map[string][]float64{
		"False": {64.000, 56.000, 40.000, 32.000, 56.000, 52.000, 44.000, 40.000, 40.000, 44.000, 52.000, 56.000,
			36.500, 45.625, 63.875, 73.000, 45.500, 56.875, 79.625, 91.000, 50.000, 62.500, 87.500, 100.000},
		"True": {64.000, 53.333, 42.667, 32.000, 51.200, 49.067, 46.933, 44.800, 38.400, 44.800, 51.200, 57.600,
			35.600, 47.467, 59.333, 71.200, 42.800, 57.067, 71.333, 85.600, 50.000, 66.667, 83.333, 100.000},
	}
	for align, w := range want {
		attrs := map[string]string{"height": "6", "width": "4", "mode": "size", "align_corners": align}
		kaExpect(t, "_contrib_BilinearResize2D", attrs, []*tensor.Tensor{x}, []int{1, 1, 6, 4}, w, 0, 1e-3)
	}
}

// TestL2NormalizationHiddenNorm checks the hidden norm output, which the
// goldens (visible outputs only) do not compare.
func TestL2NormalizationHiddenNorm(t *testing.T) {
	x := kaT([]int{1, 2, 2}, 3, 0, 4, 1) // channels (3, 0) and (4, 1)
	for mode, want := range map[string]struct {
		shape []int
		norm  []float64
	}{
		"instance": {[]int{1}, []float64{math.Sqrt(26 + 0.5)}},
		"channel":  {[]int{1, 1, 2}, []float64{math.Sqrt(25 + 0.5), math.Sqrt(1 + 0.5)}},
		"spatial":  {[]int{1, 2}, []float64{math.Sqrt(9 + 0.5), math.Sqrt(17 + 0.5)}},
	} {
		out := kaRun(t, "L2Normalization", map[string]string{"mode": mode, "eps": "0.5"}, x)
		kaCheck(t, mode, out[1], want.shape, want.norm, 1e-6, 0)
	}
}

// TestLayerThreads checks that the kernels that split over Ctx.Threads
// give the single-goroutine result bit for bit on outputs large enough to
// take the parallel path.
func TestLayerThreads(t *testing.T) {
	rois := kaRand(9, 20, 3000, 5)
	for i := range 3000 {
		r := rois.Float32s()[i*5 : i*5+5]
		r[0] = float32(i%3) - 0.5 // batch -1 (skipped), 0 and 1 after truncation
		r[3], r[4] = r[1]+float32(i%7), r[2]+float32(i%5)
	}
	nan := kaT([]int{1, 5}, 0, float32(math.NaN()), 1, 2, 3)
	for _, c := range []struct {
		op    string
		attrs map[string]string
		in    []*tensor.Tensor
	}{
		{"_contrib_BilinearResize2D", map[string]string{"height": "97", "width": "131", "align_corners": "false"}, []*tensor.Tensor{kaRand(1, 2, 2, 3, 40, 50)}},
		{"_contrib_AdaptiveAvgPooling2D", map[string]string{"output_size": "(100, 120)"}, []*tensor.Tensor{kaRand(2, 2, 2, 3, 50, 64)}},
		{"_contrib_ROIAlign", map[string]string{"pooled_size": "(3, 3)", "spatial_scale": "1", "sample_ratio": "2"}, []*tensor.Tensor{kaRand(3, 2, 2, 4, 20, 20), rois}},
		{"_contrib_ROIAlign", map[string]string{"pooled_size": "(2, 2)", "spatial_scale": "1", "sample_ratio": "2"}, []*tensor.Tensor{kaRand(3, 2, 1, 1, 4, 4), nan}},
	} {
		one, err := kaRunThreads(c.op, c.attrs, c.in, 1)
		if err != nil {
			t.Fatalf("%s: %v", c.op, err)
		}
		four, err := kaRunThreads(c.op, c.attrs, c.in, 4)
		if err != nil {
			t.Fatalf("%s threads 4: %v", c.op, err)
		}
		want := kaF64(one[0])
		kaCheck(t, c.op+" threads 4", four[0], one[0].Shape(), want, 0, 0)
	}
}
