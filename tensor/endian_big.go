//go:build armbe || arm64be || m68k || mips || mips64 || mips64p32 || ppc || ppc64 || s390 || s390x || sparc || sparc64

package tensor

// mxgo keeps tensor data as the little-endian bytes MXNet writes and views
// them as native numbers, so a big-endian build would compute on
// byte-swapped values. This undefined name stops such a build with its
// name as the message.
var _ = mxgo_supports_only_little_endian_CPUs_amd64_arm64
