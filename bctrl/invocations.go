package bctrl

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"time"

	"github.com/google/uuid"
)

// CreateInvocation starts an invocation in a runtime. It fills in req's
// operation (agent.execute) and a uuid idempotency key when they are empty,
// so the caller can read the key back and every retry, ours or the caller's,
// reaches the same invocation instead of starting a second one.
func (c *Client) CreateInvocation(ctx context.Context, spaceID, runtimeID string, req *CreateInvocationRequest) (*Invocation, error) {
	if req.Operation == "" {
		req.Operation = OperationAgentExecute
	}
	if req.IdempotencyKey == "" {
		req.IdempotencyKey = uuid.NewString()
	}
	if spaceID == "" || runtimeID == "" {
		return nil, errors.New("bctrl: create invocation: space id and runtime id are required")
	}
	path := "/v1/spaces/" + url.PathEscape(spaceID) + "/runtimes/" + url.PathEscape(runtimeID) + "/invocations"
	inv := new(Invocation)
	if err := c.do(ctx, call{method: "POST", path: path, body: req}, inv); err != nil {
		return nil, err
	}
	return inv, nil
}

// GetInvocation returns the current state of an invocation.
func (c *Client) GetInvocation(ctx context.Context, id string) (*Invocation, error) {
	return c.get(ctx, id, call{})
}

// get reads an invocation with the attempt timeout and attempts of shape.
func (c *Client) get(ctx context.Context, id string, shape call) (*Invocation, error) {
	shape.method, shape.path = "GET", invocationPath(id)
	inv := new(Invocation)
	if err := c.do(ctx, shape, inv); err != nil {
		return nil, err
	}
	return inv, nil
}

// CancelInvocation asks the platform to cancel an invocation and returns its state.
func (c *Client) CancelInvocation(ctx context.Context, id string) (*Invocation, error) {
	inv := new(Invocation)
	if err := c.do(ctx, call{method: "POST", path: invocationPath(id) + "/cancel"}, inv); err != nil {
		return nil, err
	}
	return inv, nil
}

// defaultWaitGrace is how long past its timeout a /wait may take to answer.
const defaultWaitGrace = time.Second

// WaitInvocation makes one call of the /wait long-poll: the server answers
// as soon as the invocation ends, or with its current state after timeout.
// Each attempt is given timeout plus a second to answer.
func (c *Client) WaitInvocation(ctx context.Context, id string, timeout time.Duration) (*Invocation, error) {
	return c.wait(ctx, id, timeout, call{timeout: timeout + defaultWaitGrace})
}

// wait is WaitInvocation with the attempt timeout and attempts of shape.
func (c *Client) wait(ctx context.Context, id string, timeout time.Duration, shape call) (*Invocation, error) {
	shape.method, shape.path = "POST", invocationPath(id)+"/wait"
	shape.body = map[string]int64{"timeoutMs": timeout.Milliseconds()}
	var out waitResponse
	if err := c.do(ctx, shape, &out); err != nil {
		return nil, err
	}
	return out.invocation(), nil
}

func invocationPath(id string) string { return "/v1/invocations/" + url.PathEscape(id) }

// waitResponse accepts the invocation either bare or nested under
// "invocation": the published docs show the schema name but not its shape.
type waitResponse struct {
	Invocation
	Nested *Invocation `json:"invocation"`
}

func (w *waitResponse) invocation() *Invocation {
	if w.Nested != nil {
		return w.Nested
	}
	return &w.Invocation
}

// UnmarshalJSON keeps the bare and the nested form apart.
func (w *waitResponse) UnmarshalJSON(data []byte) error {
	var probe struct {
		Nested json.RawMessage `json:"invocation"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return err
	}
	if len(probe.Nested) > 0 && string(probe.Nested) != "null" {
		w.Nested = new(Invocation)
		return json.Unmarshal(probe.Nested, w.Nested)
	}
	if err := json.Unmarshal(data, &w.Invocation); err != nil {
		return err
	}
	// The wait's own fields sit beside the invocation's in the bare form.
	for _, k := range waitEnvelopeFields {
		delete(w.Invocation.Extra, k)
	}
	if len(w.Invocation.Extra) == 0 {
		w.Invocation.Extra = nil
	}
	return nil
}

// waitEnvelopeFields are the fields InvocationWait adds to an invocation.
var waitEnvelopeFields = []string{"waitStatus", "retryAfterSeconds"}
