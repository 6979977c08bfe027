//go:build !race

package ops_test

// kaRace reports a -race build (see kernela_race_test.go).
const kaRace = false
