package ops

// The fused RNN operator, the creation operators and CTCLoss (the
// training head of RNN/OCR graphs), with the aliases MXNet 1.9.1 registers
// for them.
func init() {
	for k, v := range map[string][]string{
		"RNN": {"_npx_rnn"}, "_rnn_param_concat": {"_npi_rnn_param_concat"},
		"_zeros": nil, "_npi_zeros": nil, "_ones": nil, "_npi_ones": nil, "_zeros_without_dtype": nil,
		"_full":   {"_npi_full"},
		"_arange": nil, "_npi_arange": nil, "zeros_like": {"_sparse_zeros_like"}, "ones_like": nil,
		"shape_array": {"_npx_shape_array"}, "size_array": nil, "one_hot": {"_npx_one_hot"},
		"CTCLoss": {"ctc_loss", "_contrib_CTCLoss", "_contrib_ctc_loss"},
	} {
		wantOps[k] = v
	}
}
