package ops

// The fused RNN operator and the creation operators, with the aliases
// MXNet 1.9.1 registers for them.
func init() {
	for k, v := range map[string][]string{
		"RNN": {"_npx_rnn"}, "_rnn_param_concat": {"_npi_rnn_param_concat"},
		"_zeros": nil, "_npi_zeros": nil, "_ones": nil, "_npi_ones": nil, "_zeros_without_dtype": nil,
		"_full":   {"_npi_full"},
		"_arange": nil, "_npi_arange": nil, "zeros_like": {"_sparse_zeros_like"}, "ones_like": nil,
		"shape_array": {"_npx_shape_array"}, "size_array": nil, "one_hot": {"_npx_one_hot"},
	} {
		wantOps[k] = v
	}
}
