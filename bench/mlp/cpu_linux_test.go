package mlp

import (
	"time"

	"golang.org/x/sys/unix"
)

// processCPU returns the CPU time all of the process's threads have used
// (0 if the clock cannot be read).
func processCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}
