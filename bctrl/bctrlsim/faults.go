package bctrlsim

import (
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// FaultKind is a way a request can go wrong.
type FaultKind string

// Faults the simulator can inject.
const (
	// FaultServerError answers Status (default 500) with an error envelope; nothing is stored.
	FaultServerError FaultKind = "server_error"
	// FaultRateLimit answers 429 with Retry-After (default "1"); nothing is stored.
	FaultRateLimit FaultKind = "rate_limit"
	// FaultDrop closes the connection before handling the request.
	FaultDrop FaultKind = "drop"
	// FaultDropAfterCommit handles the request (a create is stored) and then
	// closes the connection without answering.
	FaultDropAfterCommit FaultKind = "drop_after_commit"
	// FaultSlow handles the request (a create is stored) and answers only
	// after Delay of wall time, or never if the client gives up first.
	FaultSlow FaultKind = "slow"
	// FaultMalformed handles the request and answers 200 with truncated JSON.
	FaultMalformed FaultKind = "malformed"
)

// Fault is one injected failure.
type Fault struct {
	Kind       FaultKind
	Status     int
	RetryAfter string
	Delay      time.Duration
}

// faultPlan hands out queued faults per route, then random ones.
type faultPlan struct {
	mu     sync.Mutex
	queued map[string][]Fault
	rate   float64
	kinds  []Fault
	rng    *rand.Rand
}

func newFaultPlan() *faultPlan {
	return &faultPlan{queued: map[string][]Fault{}}
}

// QueueFaults makes the next requests to route ("create", "get", "cancel",
// "wait", or "*" for any) fail with faults, one each, in order.
func (s *Simulator) QueueFaults(route string, faults ...Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.queued[route] = append(s.faults.queued[route], faults...)
}

// RandomFaults makes each request fail with probability rate, with a fault
// drawn from kinds by a generator seeded with seed (reproducible runs).
func (s *Simulator) RandomFaults(rate float64, seed uint64, kinds ...Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.rate, s.faults.kinds = rate, kinds
	s.faults.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

func (p *faultPlan) next(route string) (Fault, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, key := range []string{route, "*"} {
		if q := p.queued[key]; len(q) > 0 {
			p.queued[key] = q[1:]
			return q[0], true
		}
	}
	if p.rate > 0 && len(p.kinds) > 0 && p.rng.Float64() < p.rate {
		return p.kinds[p.rng.IntN(len(p.kinds))], true
	}
	return Fault{}, false
}

// serveFault answers r according to f; handle runs the real handler.
func (s *Simulator) serveFault(w http.ResponseWriter, r *http.Request, f Fault, handle func(http.ResponseWriter)) {
	switch f.Kind {
	case FaultServerError:
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		s.fail(w, status, "server.error", "simulated server error", "retry the request")
	case FaultRateLimit:
		after := f.RetryAfter
		if after == "" {
			after = "1"
		}
		w.Header().Set("Retry-After", after)
		s.fail(w, http.StatusTooManyRequests, "rate_limited", "too many requests", "retry after the Retry-After delay")
	case FaultDrop:
		panic(http.ErrAbortHandler) // net/http closes the connection without a response
	case FaultDropAfterCommit:
		handle(httptest.NewRecorder())
		panic(http.ErrAbortHandler)
	case FaultSlow:
		rec := httptest.NewRecorder()
		handle(rec)
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
			copyRecorded(w, rec)
		case <-r.Context().Done():
		}
	case FaultMalformed:
		rec := httptest.NewRecorder()
		handle(rec)
		body := rec.Body.Bytes()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
	default:
		handle(w)
	}
}

// copyRecorded writes a recorded response to w.
func copyRecorded(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}
