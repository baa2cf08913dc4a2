package bctrlsim

import (
	"sync"
	"time"
)

// Clock is the simulator's notion of time. Lifecycles advance on it, and
// /wait long-polls sleep on it.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed on this clock,
	// and a function that releases the timer early.
	After(d time.Duration) (<-chan time.Time, func())
}

// RealClock is wall time sped up by Speed (1 when zero): at Speed 10 a
// 10-second simulated invocation ends after one real second.
type RealClock struct {
	Speed float64
	start time.Time
	once  sync.Once
}

func (c *RealClock) speed() float64 {
	if c.Speed <= 0 {
		return 1
	}
	return c.Speed
}

func (c *RealClock) origin() time.Time {
	c.once.Do(func() { c.start = time.Now() })
	return c.start
}

// Now returns the scaled time.
func (c *RealClock) Now() time.Time {
	start := c.origin()
	return start.Add(time.Duration(float64(time.Since(start)) * c.speed()))
}

// After waits d of scaled time.
func (c *RealClock) After(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(time.Duration(float64(d) / c.speed()))
	return t.C, func() { t.Stop() }
}

// ManualClock only moves when a test calls Advance, so tests never sleep.
type ManualClock struct {
	mu      sync.Mutex
	now     time.Time
	timers  map[*manualTimer]struct{}
	changed chan struct{} // closed and replaced whenever the set of timers changes
}

type manualTimer struct {
	at time.Time
	ch chan time.Time
}

// NewManualClock starts a manual clock at start.
func NewManualClock(start time.Time) *ManualClock {
	return &ManualClock{now: start, timers: map[*manualTimer]struct{}{}, changed: make(chan struct{})}
}

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After registers a timer that fires when Advance passes now+d.
func (c *ManualClock) After(d time.Duration) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &manualTimer{at: c.now.Add(d), ch: make(chan time.Time, 1)}
	if d <= 0 {
		t.ch <- c.now
		return t.ch, func() {}
	}
	c.timers[t] = struct{}{}
	c.notifyLocked()
	return t.ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if _, ok := c.timers[t]; ok {
			delete(c.timers, t)
			c.notifyLocked()
		}
	}
}

// Advance moves the clock forward and fires every timer that is due.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	for t := range c.timers {
		if !t.at.After(c.now) {
			t.ch <- c.now
			delete(c.timers, t)
		}
	}
	c.notifyLocked()
}

// Waiters returns how many timers are pending, and a channel closed when that may have changed.
func (c *ManualClock) Waiters() (int, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers), c.changed
}

// BlockUntilWaiters returns once at least n timers are pending (someone is
// sleeping on the clock), or when done is closed.
func (c *ManualClock) BlockUntilWaiters(n int, done <-chan struct{}) bool {
	for {
		count, changed := c.Waiters()
		if count >= n {
			return true
		}
		select {
		case <-changed:
		case <-done:
			return false
		}
	}
}

func (c *ManualClock) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// FollowSlice is the /wait slice a client following a simulator on a
// RealClock of the given speed should use, so that each long-poll lasts
// about one simulated step of length step. The simulator reads timeoutMs on
// its own clock, so at speed S a slice d lasts d/S of wall time: asking for
// step (at most; less when the simulator runs slower than wall time, where
// the long-poll would otherwise outlive the client's own timeout for it)
// refreshes once per step without spinning.
func FollowSlice(step time.Duration, speed float64) time.Duration {
	if speed <= 0 {
		speed = 1
	}
	return time.Duration(float64(step) * min(1, speed))
}
