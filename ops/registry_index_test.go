package ops

func init() {
	for k, v := range map[string][]string{
		"where": nil, "_npi_where": nil, "_npi_where_lscalar": nil, "_npi_where_rscalar": nil, "_npi_where_scalar2": nil, "take": {"_npi_take"}, "pick": {"choose_element_0index", "_npx_pick"},
		"gather_nd": {"_npi_gather_nd", "_npx_gather_nd"},
		"topk":      {"_npx_topk"}, "sort": {"_npi_sort"}, "argsort": {"_npi_argsort"},
		"slice_like": nil, "tile": {"_npi_tile"}, "repeat": {"_np_repeat"}, "squeeze": nil, "_np_squeeze": nil, "stack": {"_npi_stack"},
		"reverse": {"flip"}, "_npi_flip": nil, "SwapAxis": {"swapaxes", "_npi_swapaxes"}, "SequenceMask": {"_npx_sequence_mask"},
		"broadcast_axis": {"broadcast_axes"}, "broadcast_to": nil, "_npi_broadcast_to": nil, "broadcast_like": nil,
	} {
		wantOps[k] = v
	}
}
