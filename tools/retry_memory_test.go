package tools

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// fakeClock is the memory's clock in tests; it moves only when told.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// memoryWithKeys is a memory whose fingerprint is the "key" value of ctx,
// the way a server with per-request API keys would supply it.
type ctxKey struct{}

func memoryWithKeys() (*retryMemory, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	fp := func(ctx context.Context) string { k, _ := ctx.Value(ctxKey{}).(string); return FingerprintAPIKey(k) }
	return newRetryMemory(fp, clock.now), clock
}

func userCtx(t *testing.T, apiKey string) context.Context {
	return context.WithValue(t.Context(), ctxKey{}, apiKey)
}

func createBody(instruction string) bctrl.CreateInvocationRequest {
	return bctrl.CreateInvocationRequest{Provider: bctrl.ProviderStagehand, Input: bctrl.Input{Instruction: instruction}}
}

// abandon runs one create the client gives up on, and returns its key.
func abandon(t *testing.T, m *retryMemory, ctx context.Context, space, runtime string, body bctrl.CreateInvocationRequest) string {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	c := m.claim(ctx, space, runtime, &body)
	cancel()
	c.release()
	if body.IdempotencyKey == "" {
		t.Fatal("claim gave no key")
	}
	return body.IdempotencyKey
}

// deliver runs one create whose answer goes out, and returns its key and whether it was a reuse.
func deliver(m *retryMemory, ctx context.Context, space, runtime string, body bctrl.CreateInvocationRequest) (string, bool) {
	c := m.claim(ctx, space, runtime, &body)
	c.release()
	return body.IdempotencyKey, c.reused
}

func TestRetryMemoryReusesOnlyTheKeyOfAnAbandonedCreate(t *testing.T) {
	m, _ := memoryWithKeys()
	ctx := userCtx(t, "key-a")
	first := abandon(t, m, ctx, testSpace, testRuntime, createBody("Book a table"))
	if again, reused := deliver(m, ctx, testSpace, testRuntime, createBody("Book a table")); again != first || !reused {
		t.Fatalf("repeat of an abandoned create got key %s (reused %v), want %s", again, reused, first)
	}
	// The repeat's answer went out: the model now knows the key, and a
	// further identical create is new work.
	if third, reused := deliver(m, ctx, testSpace, testRuntime, createBody("Book a table")); third == first || reused {
		t.Errorf("a create after the delivered repeat reused %s", third)
	}
	if n := m.size(); n != 0 {
		t.Errorf("%d creates remembered after delivered answers", n)
	}
}

func TestRetryMemoryKeepsACreateAbandonedTwice(t *testing.T) {
	m, _ := memoryWithKeys()
	ctx := userCtx(t, "key-a")
	first := abandon(t, m, ctx, testSpace, testRuntime, createBody("Book a table"))
	if second := abandon(t, m, ctx, testSpace, testRuntime, createBody("Book a table")); second != first {
		t.Fatalf("second abandoned repeat got %s, want %s", second, first)
	}
	if third, _ := deliver(m, ctx, testSpace, testRuntime, createBody("Book a table")); third != first {
		t.Errorf("third repeat got %s, want %s", third, first)
	}
}

func TestRetryMemoryNeedsTheSameRequest(t *testing.T) {
	m, _ := memoryWithKeys()
	ctx := userCtx(t, "key-a")
	first := abandon(t, m, ctx, testSpace, testRuntime, createBody("Book a table"))
	withOperation := createBody("Book a table")
	withOperation.Operation = bctrl.OperationAgentExecute
	others := map[string]struct {
		ctx            context.Context
		space, runtime string
		body           bctrl.CreateInvocationRequest
	}{
		"another API key":     {userCtx(t, "key-b"), testSpace, testRuntime, createBody("Book a table")},
		"another space":       {ctx, unknownID, testRuntime, createBody("Book a table")},
		"another runtime":     {ctx, testSpace, unknownID, createBody("Book a table")},
		"another instruction": {ctx, testSpace, testRuntime, createBody("Book a room")},
	}
	for name, o := range others {
		if key, reused := deliver(m, o.ctx, o.space, o.runtime, o.body); key == first || reused {
			t.Errorf("%s reused the key", name)
		}
	}
	// The default operation is the same request; and the others left the abandoned create in place.
	if key, _ := deliver(m, ctx, testSpace, testRuntime, withOperation); key != first {
		t.Errorf("the same create with operation spelled out got %s, want %s", key, first)
	}
}

func TestRetryMemoryLeavesCallerKeysAlone(t *testing.T) {
	m, _ := memoryWithKeys()
	ctx := userCtx(t, "key-a")
	own := createBody("Book a table")
	own.IdempotencyKey = "callers-own-key"
	if key := abandon(t, m, ctx, testSpace, testRuntime, own); key != "callers-own-key" {
		t.Fatalf("the caller's key became %s", key)
	}
	if key, reused := deliver(m, ctx, testSpace, testRuntime, createBody("Book a table")); key == "callers-own-key" || reused {
		t.Errorf("a create without a key took the caller's key")
	}
	if n := m.size(); n != 0 {
		t.Errorf("%d creates remembered; calls with their own key take no part", n)
	}
}

func TestRetryMemoryDoesNotReuseARunningCreate(t *testing.T) {
	m, _ := memoryWithKeys()
	ctx := userCtx(t, "key-a")
	running := createBody("Book a table")
	c := m.claim(ctx, testSpace, testRuntime, &running)
	if key, reused := deliver(m, ctx, testSpace, testRuntime, createBody("Book a table")); key == running.IdempotencyKey || reused {
		t.Errorf("a concurrent identical create reused the key of one still being answered")
	}
	c.release()
}

func TestRetryMemoryForgetsAfterFifteenMinutes(t *testing.T) {
	m, clock := memoryWithKeys()
	ctx := userCtx(t, "key-a")
	first := abandon(t, m, ctx, testSpace, testRuntime, createBody("Book a table"))
	clock.advance(15*time.Minute - time.Second)
	if key := abandon(t, m, ctx, testSpace, testRuntime, createBody("Book a table")); key != first {
		t.Fatalf("forgotten within 15 minutes: %s, want %s", key, first)
	}
	// The repeat was abandoned too: its 15 minutes run from its end.
	clock.advance(15*time.Minute - time.Second)
	if key := abandon(t, m, ctx, testSpace, testRuntime, createBody("Book a table")); key != first {
		t.Fatalf("forgotten within 15 minutes of the last abandon: %s, want %s", key, first)
	}
	clock.advance(15 * time.Minute)
	if key, reused := deliver(m, ctx, testSpace, testRuntime, createBody("Book a table")); key == first || reused {
		t.Errorf("reused after 15 minutes")
	}
	if n := m.size(); n != 0 {
		t.Errorf("%d creates remembered after expiry", n)
	}
}

func TestRetryMemoryHoldsAtMostAThousand(t *testing.T) {
	m, clock := memoryWithKeys()
	ctx := userCtx(t, "key-a")
	keys := make([]string, retryMemoryLimit+1)
	for i := range keys {
		keys[i] = abandon(t, m, ctx, testSpace, testRuntime, createBody(fmt.Sprintf("task %d", i)))
		clock.advance(time.Millisecond)
	}
	if n := m.size(); n != retryMemoryLimit {
		t.Fatalf("%d creates remembered, want the limit %d", n, retryMemoryLimit)
	}
	// Each check delivers a reuse, which frees its record, so the next
	// check's claim does not push anything out.
	if key, _ := deliver(m, ctx, testSpace, testRuntime, createBody("task 1")); key != keys[1] {
		t.Errorf("the second oldest create was dropped: got %s, want %s", key, keys[1])
	}
	if key, _ := deliver(m, ctx, testSpace, testRuntime, createBody(fmt.Sprintf("task %d", retryMemoryLimit))); key != keys[retryMemoryLimit] {
		t.Errorf("the newest create was dropped")
	}
	if key, reused := deliver(m, ctx, testSpace, testRuntime, createBody("task 0")); key == keys[0] || reused {
		t.Errorf("the oldest create was kept beyond the limit")
	}
}

func TestWithoutFingerprintEveryCreateGetsANewKey(t *testing.T) {
	var m *retryMemory // what Register builds without Deps.APIKeyFingerprint
	ctx, cancel := context.WithCancel(t.Context())
	first := createBody("Book a table")
	m.claim(ctx, testSpace, testRuntime, &first).release()
	cancel()
	second := createBody("Book a table")
	c := m.claim(ctx, testSpace, testRuntime, &second)
	c.release()
	if first.IdempotencyKey == "" || second.IdempotencyKey == "" || first.IdempotencyKey == second.IdempotencyKey || c.annotate("") != "" {
		t.Errorf("keys %q and %q", first.IdempotencyKey, second.IdempotencyKey)
	}
}

func TestFingerprintAPIKey(t *testing.T) {
	a, b := FingerprintAPIKey("bctrl_live_A"), FingerprintAPIKey("bctrl_live_B")
	if a == b || a != FingerprintAPIKey("bctrl_live_A") || len(a) != 64 {
		t.Errorf("fingerprints %s %s", a, b)
	}
}
