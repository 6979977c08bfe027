package ops

// The detection operators of issue 9 with the aliases MXNet 1.9.1
// registers for them (box_nms has no _npx_ form in 1.9.1).
func init() {
	for k, v := range map[string][]string{
		"_contrib_box_nms":           {"_contrib_box_non_maximum_suppression"},
		"_contrib_box_iou":           nil,
		"_contrib_MultiBoxPrior":     {"_npx_multibox_prior"},
		"_contrib_MultiBoxDetection": {"_npx_multibox_detection"},
		"_contrib_MultiBoxTarget":    {"_npx_multibox_target"},
	} {
		wantOps[k] = v
	}
}
