package tools

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/google/uuid"
)

// Bounds of the retry memory: long enough to cover a client that gave up
// at about 60 s and a model that retries a few turns later, small enough
// that the memory stays a few hundred kilobytes.
const (
	retryMemoryTTL   = 15 * time.Minute
	retryMemoryLimit = 1000
)

// FingerprintAPIKey is the digest of an API key that partitions the retry
// memory (see Deps.APIKeyFingerprint): stable for a key, and not the key.
func FingerprintAPIKey(key string) string {
	sum := sha256.Sum256([]byte("bctrl-mcp api key\x00" + key))
	return hex.EncodeToString(sum[:])
}

// retryMemory remembers creates whose answer never reached the client.
// When a client gives up on create_invocation (notifications/cancelled,
// e.g. at its own time-out) no response is sent, so the model never learns
// the idempotencyKey we generated, and its natural next step is the same
// call again. The memory hands that repeat the first call's key, so bctrl
// returns the first invocation instead of starting (and billing) another.
//
// A create is recorded when it starts, with its request context; a later
// identical create reuses the key only if that context has been cancelled,
// so the answer cannot have been delivered. A create whose answer went out
// is forgotten as it ends. Records of abandoned creates live retryMemoryTTL
// after their end; at most retryMemoryLimit records are kept, oldest
// dropped first. Only creates without a caller-given key take part: a
// caller's key already deduplicates.
type retryMemory struct {
	fingerprint func(context.Context) string
	now         func() time.Time

	mu      sync.Mutex
	records map[[sha256.Size]byte]*list.Element // of *retryRecord
	order   *list.List                          // oldest expiry first
}

// retryRecord is one remembered create.
type retryRecord struct {
	id      [sha256.Size]byte
	key     string
	done    <-chan struct{} // its request context's Done: closed once the client gave up
	expires time.Time
}

// newRetryMemory returns an empty memory partitioned by fingerprint (see
// Deps.APIKeyFingerprint) on the clock now.
func newRetryMemory(fingerprint func(context.Context) string, now func() time.Time) *retryMemory {
	return &retryMemory{fingerprint: fingerprint, now: now, records: map[[sha256.Size]byte]*list.Element{}, order: list.New()}
}

// retryClaim is one create's hold on the memory, from before its POST to
// the end of its handler.
type retryClaim struct {
	memory *retryMemory
	record *retryRecord
	ctx    context.Context
	reused bool
}

// claim gives body its idempotencyKey: the caller's when set; otherwise
// the key of an identical create (same API key fingerprint, space, runtime
// and API body) whose client gave up on it within the TTL, or a new uuid.
// A nil memory only generates keys. Call release when the handler ends.
func (m *retryMemory) claim(ctx context.Context, spaceID, runtimeID string, body *bctrl.CreateInvocationRequest) *retryClaim {
	if body.IdempotencyKey != "" {
		return &retryClaim{}
	}
	if m == nil {
		body.IdempotencyKey = uuid.NewString()
		return &retryClaim{}
	}
	id, ok := requestID(m.fingerprint(ctx), spaceID, runtimeID, *body)
	if !ok {
		body.IdempotencyKey = uuid.NewString()
		return &retryClaim{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.dropExpired(now)
	c := &retryClaim{memory: m, ctx: ctx, record: &retryRecord{id: id, key: uuid.NewString(), done: ctx.Done(), expires: now.Add(retryMemoryTTL)}}
	if el, ok := m.records[id]; ok {
		if prev := el.Value.(*retryRecord); abandoned(prev) {
			c.record.key, c.reused = prev.key, true
		}
		m.order.Remove(el)
	}
	m.insert(c.record)
	body.IdempotencyKey = c.record.key
	return c
}

// release ends the claim: the create is forgotten if its answer can still
// reach the client, and kept for the TTL from now if the client gave up.
func (c *retryClaim) release() {
	m := c.memory
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	el, mine := m.records[c.record.id]
	mine = mine && el.Value == c.record
	switch {
	case c.ctx.Err() == nil:
		if mine {
			m.order.Remove(el)
			delete(m.records, c.record.id)
		}
	case mine:
		c.record.expires = m.now().Add(retryMemoryTTL)
		m.order.MoveToBack(el)
	case el == nil:
		// Evicted while running: an abandoned create is worth keeping.
		c.record.expires = m.now().Add(retryMemoryTTL)
		m.insert(c.record)
	}
	// Otherwise a newer identical create has taken the record's place.
}

// annotate prefixes a result's note with one sentence when the key was
// reused, saying so and how to start a genuinely new invocation.
func (c *retryClaim) annotate(note string) string {
	if !c.reused {
		return note
	}
	reuse := "This call repeats a create_invocation whose answer never reached you (the request was cancelled), so it reused that call's idempotencyKey " +
		"and bctrl returned the invocation that call started instead of starting and billing a second one; " +
		"to start a genuinely new invocation, call create_invocation again with a new idempotencyKey."
	if note == "" {
		return reuse
	}
	return reuse + "\n" + note
}

// insert adds r as the newest record, dropping the oldest beyond the limit.
func (m *retryMemory) insert(r *retryRecord) {
	m.records[r.id] = m.order.PushBack(r)
	for m.order.Len() > retryMemoryLimit {
		oldest := m.order.Front()
		m.order.Remove(oldest)
		delete(m.records, oldest.Value.(*retryRecord).id)
	}
}

// dropExpired removes records whose TTL has passed. Expiries only grow
// along the list (each is set to now+TTL as it moves to the back), so
// the expired ones are at the front.
func (m *retryMemory) dropExpired(now time.Time) {
	for el := m.order.Front(); el != nil; el = m.order.Front() {
		r := el.Value.(*retryRecord)
		if now.Before(r.expires) {
			return
		}
		m.order.Remove(el)
		delete(m.records, r.id)
	}
}

// size returns how many creates are remembered.
func (m *retryMemory) size() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.order.Len()
}

func abandoned(r *retryRecord) bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// requestID identifies a create by everything that decides what bctrl
// does with it: whose key, where, and the API body (without the key, and
// with the operation bctrl defaults to). waitSeconds is not part of it.
func requestID(fingerprint, spaceID, runtimeID string, body bctrl.CreateInvocationRequest) ([sha256.Size]byte, bool) {
	body.IdempotencyKey = ""
	if body.Operation == "" {
		body.Operation = bctrl.OperationAgentExecute
	}
	raw, err := json.Marshal(body) // struct fields in order, map keys sorted: canonical
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	h := sha256.New()
	for _, part := range []string{fingerprint, spaceID, runtimeID} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(raw)
	var id [sha256.Size]byte
	h.Sum(id[:0])
	return id, true
}
