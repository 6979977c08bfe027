package serialize

// InflateOK exposes Limits.inflateOK (after resolving defaults) to tests.
func InflateOK(l Limits, decoded, stored int64) bool {
	r := l.resolved()
	return r.inflateOK(decoded, stored)
}
