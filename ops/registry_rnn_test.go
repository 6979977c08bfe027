package ops

// The fused RNN operator and the creation operators, with the aliases
// MXNet 1.9.1 registers for them.
func init() {
	for k, v := range map[string][]string{
		"RNN": {"_npx_rnn"},
	} {
		wantOps[k] = v
	}
}
