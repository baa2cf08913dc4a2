package bctrlsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/jsonval"
	"github.com/google/uuid"
)

// Options configures a Simulator.
type Options struct {
	// APIKey is the bearer key every request must carry; empty accepts any non-empty key.
	APIKey string
	// Clock drives lifecycles; nil means wall time.
	Clock Clock
	// Step is the clock time each lifecycle phase and agent step takes (default 1s).
	Step time.Duration
	// DisableWait makes /wait answer 404, as an API without the long-poll would.
	DisableWait bool
	// NestedErrors sends {"error": {"code", "message", ...}} instead of the flat envelope.
	NestedErrors bool
	// Directory is what the whoami, spaces and runtimes routes show; nil means DefaultDirectory.
	Directory *Directory
}

// Simulator is an in-memory bctrl invocations API. It is an http.Handler.
type Simulator struct {
	opts     Options
	contract *contract
	faults   *faultPlan
	storage  storageOrigin

	mu          sync.Mutex
	invocations map[string]*record
	idempotency map[string]idempotencyEntry
	runs        map[string]string // runtime id → run id
	sequence    map[string]int64  // runtime id → last sequence number
	requests    int
}

type idempotencyEntry struct {
	fingerprint string
	id          string
}

// New returns a simulator. It panics only if the embedded OpenAPI text is broken, which a test rules out.
func New(opts Options) *Simulator {
	c, err := loadContract()
	if err != nil {
		panic(err)
	}
	if opts.Clock == nil {
		opts.Clock = &RealClock{Speed: 1}
	}
	if opts.Step <= 0 {
		opts.Step = time.Second
	}
	return &Simulator{
		opts: opts, contract: c, faults: newFaultPlan(),
		invocations: map[string]*record{}, idempotency: map[string]idempotencyEntry{},
		runs: map[string]string{}, sequence: map[string]int64{},
	}
}

// Count returns how many invocations exist.
func (s *Simulator) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.invocations)
}

// Requests returns how many requests reached the simulator (faulted ones included).
func (s *Simulator) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// Route names used to aim faults.
const (
	RouteCreate = "create"
	RouteGet    = "get"
	RouteCancel = "cancel"
	RouteWait   = "wait"
)

// ServeHTTP routes the four endpoints.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
	route, params := match(r.Method, r.URL.Path)
	if route == "" {
		s.fail(w, http.StatusNotFound, "route.not_found", fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path), "")
		return
	}
	if !s.authorized(r) {
		s.fail(w, http.StatusUnauthorized, "auth.required", "missing or invalid API key", "send Authorization: Bearer <api-key>")
		return
	}
	if route == RouteWait && s.opts.DisableWait {
		s.fail(w, http.StatusNotFound, "route.not_found", "no route for "+r.URL.Path, "")
		return
	}
	handler := map[string]func(http.ResponseWriter, *http.Request, []string){
		RouteCreate: s.create, RouteGet: s.get, RouteCancel: s.cancel, RouteWait: s.wait,
		RouteWhoami: s.whoami, RouteSpaces: s.listSpaces, RouteRuntimes: s.listRuntimes,
		RouteArtifacts: s.listArtifacts, RouteDownload: s.download,
	}[route]
	if f, ok := s.faults.next(route); ok {
		s.serveFault(w, r, f, func(w http.ResponseWriter) { handler(w, r, params) })
		return
	}
	handler(w, r, params)
}

// match maps a request to a route and its path parameters.
func match(method, path string) (string, []string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case method == "POST" && len(parts) == 6 && parts[0] == "v1" && parts[1] == "spaces" && parts[3] == "runtimes" && parts[5] == "invocations":
		return RouteCreate, []string{parts[2], parts[4]}
	case method == "GET" && len(parts) == 3 && parts[0] == "v1" && parts[1] == "invocations":
		return RouteGet, []string{parts[2]}
	case method == "POST" && len(parts) == 4 && parts[0] == "v1" && parts[1] == "invocations" && parts[3] == "cancel":
		return RouteCancel, []string{parts[2]}
	case method == "POST" && len(parts) == 4 && parts[0] == "v1" && parts[1] == "invocations" && parts[3] == "wait":
		return RouteWait, []string{parts[2]}
	}
	if route, params := matchArtifacts(method, parts); route != "" {
		return route, params
	}
	return matchDirectory(method, parts)
}

func (s *Simulator) authorized(r *http.Request) bool {
	key, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(key) == "" {
		return false
	}
	return s.opts.APIKey == "" || key == s.opts.APIKey
}

// create validates the body against the OpenAPI request schema, dedupes by
// idempotency key and stores a new invocation.
func (s *Simulator) create(w http.ResponseWriter, r *http.Request, params []string) {
	spaceID, runtimeID := params[0], params[1]
	if uuid.Validate(spaceID) != nil {
		s.fail(w, http.StatusNotFound, "space.not_found", fmt.Sprintf("space %q not found", spaceID), "space ids are uuids")
		return
	}
	if uuid.Validate(runtimeID) != nil {
		s.fail(w, http.StatusNotFound, "runtime.not_found", fmt.Sprintf("runtime %q not found", runtimeID), "runtime ids are uuids")
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		s.fail(w, http.StatusBadRequest, "request.invalid", "could not read the body", "")
		return
	}
	value, err := jsonval.Decode(raw)
	if err != nil {
		s.fail(w, http.StatusBadRequest, "request.invalid", "body is not valid JSON: "+err.Error(), "send a JSON object")
		return
	}
	if problems := s.contract.request.Validate(value); len(problems) > 0 {
		s.failDetails(w, http.StatusBadRequest, "request.invalid", "invalid request body: "+jsonval.Summary(problems),
			"see the create-invocation request schema", map[string]any{"problems": problemList(problems)})
		return
	}
	var body map[string]any
	_ = json.Unmarshal(raw, &body) // valid JSON object: checked just above
	inv, status, err := s.store(spaceID, runtimeID, body)
	if err != nil {
		s.fail(w, status, "idempotency.conflict", err.Error(), "use a new idempotencyKey for a different request")
		return
	}
	s.write(w, http.StatusAccepted, inv)
}

func (s *Simulator) store(spaceID, runtimeID string, body map[string]any) (wire, int, error) {
	key, _ := body["idempotencyKey"].(string)
	canonical, _ := json.Marshal(body) // map keys are sorted: a canonical form
	fingerprint := spaceID + "/" + runtimeID + "/" + string(canonical)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Clock.Now()
	if key != "" {
		if prev, ok := s.idempotency[key]; ok {
			if prev.fingerprint != fingerprint {
				return wire{}, http.StatusConflict, fmt.Errorf("idempotency key %q was already used with a different request", key)
			}
			return s.invocations[prev.id].at(now), 0, nil
		}
	}
	input, _ := body["input"].(map[string]any)
	instruction, _ := input["instruction"].(string)
	metadata, _ := body["metadata"].(map[string]any)
	if s.runs[runtimeID] == "" {
		s.runs[runtimeID] = uuid.NewString()
	}
	s.sequence[runtimeID]++
	rec := &record{
		id: uuid.NewString(), spaceID: spaceID, runtimeID: runtimeID, runID: s.runs[runtimeID],
		sequenceNo: s.sequence[runtimeID], idempotencyKey: key, instruction: instruction,
		body: body, metadata: metadata, plan: planFor(instruction, metadata, s.opts.Step),
		createdAt: now, changed: make(chan struct{}),
	}
	s.invocations[rec.id] = rec
	if key != "" {
		s.idempotency[key] = idempotencyEntry{fingerprint: fingerprint, id: rec.id}
	}
	return rec.at(now), 0, nil
}

func (s *Simulator) get(w http.ResponseWriter, _ *http.Request, params []string) {
	rec, ok := s.lookup(w, params[0])
	if !ok {
		return
	}
	s.write(w, http.StatusOK, s.render(rec))
}

// cancel records the request; an invocation that has already ended is returned unchanged.
func (s *Simulator) cancel(w http.ResponseWriter, _ *http.Request, params []string) {
	rec, ok := s.lookup(w, params[0])
	if !ok {
		return
	}
	s.mu.Lock()
	now := s.opts.Clock.Now()
	if end, ends := rec.endTime(); rec.cancelAt == nil && (!ends || now.Before(end)) {
		rec.cancelAt = &now
		close(rec.changed)
		rec.changed = make(chan struct{})
	}
	out := rec.at(now)
	s.mu.Unlock()
	s.write(w, http.StatusOK, out)
}

// wait holds the request until the invocation ends or timeoutMs of clock time pass.
func (s *Simulator) wait(w http.ResponseWriter, r *http.Request, params []string) {
	rec, ok := s.lookup(w, params[0])
	if !ok {
		return
	}
	var body struct {
		TimeoutMS *int64 `json:"timeoutMs"`
	}
	if raw, _ := io.ReadAll(io.LimitReader(r.Body, 4096)); len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil || (body.TimeoutMS != nil && *body.TimeoutMS < 0) {
			s.fail(w, http.StatusBadRequest, "request.invalid", "timeoutMs must be a non-negative integer", "")
			return
		}
	}
	timeout := 30 * time.Second
	if body.TimeoutMS != nil {
		timeout = min(time.Duration(*body.TimeoutMS)*time.Millisecond, 60*time.Second)
	}
	deadline := s.opts.Clock.Now().Add(timeout)
	for {
		s.mu.Lock()
		now := s.opts.Clock.Now()
		end, ends := rec.endTime()
		changed := rec.changed
		s.mu.Unlock()
		target := deadline
		if ends && end.Before(target) {
			target = end
		}
		if !now.Before(target) {
			break
		}
		fired, stop := s.opts.Clock.After(target.Sub(now))
		select {
		case <-fired:
		case <-changed:
		case <-r.Context().Done():
			stop()
			return
		}
		stop()
	}
	s.write(w, http.StatusOK, s.render(rec))
}

func (s *Simulator) lookup(w http.ResponseWriter, id string) (*record, bool) {
	s.mu.Lock()
	rec, ok := s.invocations[id]
	s.mu.Unlock()
	if !ok {
		s.fail(w, http.StatusNotFound, "invocation.not_found", fmt.Sprintf("invocation %q not found", id), "check the id returned by create")
	}
	return rec, ok
}

func (s *Simulator) render(rec *record) wire {
	s.mu.Lock()
	defer s.mu.Unlock()
	return rec.at(s.opts.Clock.Now())
}

func (s *Simulator) write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req_"+uuid.NewString()[:8])
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Simulator) fail(w http.ResponseWriter, status int, code, message, hint string) {
	s.failDetails(w, status, code, message, hint, nil)
}

// failDetails writes the error envelope, flat or nested as configured.
func (s *Simulator) failDetails(w http.ResponseWriter, status int, code, message, hint string, details map[string]any) {
	requestID := "req_" + uuid.NewString()[:8]
	fields := map[string]any{"code": code, "requestId": requestID}
	if hint != "" {
		fields["hint"] = hint
	}
	if details != nil {
		fields["details"] = details
	}
	if s.opts.NestedErrors {
		fields["message"] = message
		s.write(w, status, map[string]any{"error": fields})
		return
	}
	fields["error"] = message
	s.write(w, status, fields)
}

func problemList(ps []jsonval.Problem) []any {
	out := make([]any, len(ps))
	for i, p := range ps {
		out[i] = map[string]any{"path": p.Path, "message": p.Message}
	}
	return out
}
