//go:build race

package ops_test

// kaRace reports a -race build, where the race detector's instrumentation
// allocates and testing.AllocsPerRun cannot check kernels.
const kaRace = true
