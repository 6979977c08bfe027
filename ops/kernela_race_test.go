//go:build race

package ops_test

// kaRace reports a -race build, where sync.Pool drops items at random so
// pooled scratch (asm's SGEMM packing buffers) allocates and allocation
// counts mean nothing.
const kaRace = true
