package bctrlsim

import (
	"testing"
	"time"
)

// TestFollowSliceLastsOneStep: the slice a follower asks for lasts about one
// simulated step of wall time when the simulator is faster than wall time
// (so it does not spin), and never outlives the slice itself plus the step
// when it is slower (so the client's own timeout for the long-poll holds).
func TestFollowSliceLastsOneStep(t *testing.T) {
	for _, speed := range []float64{0.1, 0.5, 1, 4, 50, 1000} {
		slice := FollowSlice(time.Second, speed)
		wall := time.Duration(float64(slice) / speed) // how long the simulator holds that /wait
		stepWall := time.Duration(float64(time.Second) / speed)
		if speed >= 1 && wall != stepWall {
			t.Errorf("speed %v: a %v slice lasts %v of wall time; want one step (%v)", speed, slice, wall, stepWall)
		}
		if speed < 1 && wall > time.Second {
			t.Errorf("speed %v: a %v slice lasts %v of wall time, past the 1 s a follower grants beyond its slice", speed, slice, wall)
		}
	}
	if got := FollowSlice(time.Second, 0); got != time.Second {
		t.Errorf("speed 0 (unset) gives %v; want the step", got)
	}
}
