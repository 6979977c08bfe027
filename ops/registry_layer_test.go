package ops

// The layer family of issue 9 (Crop, Pad, L2Normalization, ...), with the
// aliases MXNet 1.9.1 registers for them.
func init() {
	for k, v := range map[string][]string{
		"Crop": nil, "Pad": {"pad"}, "L2Normalization": nil, "MakeLoss": nil,
		"_contrib_div_sqrt_dim": nil, "smooth_l1": {"_npx_smooth_l1"},
		"_contrib_AdaptiveAvgPooling2D": nil, "_contrib_BilinearResize2D": nil, "_contrib_ROIAlign": nil,
	} {
		wantOps[k] = v
	}
}
