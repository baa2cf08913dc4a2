package jsonrpc

import (
	"encoding/json"
	"sync"
)

// Cancelled records the requests a client cancelled, so that their
// responses are dropped.
type Cancelled struct {
	mu  sync.Mutex
	ids map[string]bool
}

// NewCancelled returns an empty record.
func NewCancelled() *Cancelled { return &Cancelled{ids: map[string]bool{}} }

// Mark records that the client cancelled id.
func (c *Cancelled) Mark(id json.RawMessage) {
	if len(id) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids[IDKey(id)] = true
}

// Take reports whether id was cancelled, and forgets it.
func (c *Cancelled) Take(id json.RawMessage) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := IDKey(id)
	was := c.ids[key]
	delete(c.ids, key)
	return was
}
