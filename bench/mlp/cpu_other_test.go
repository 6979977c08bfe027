//go:build !linux

package mlp

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
