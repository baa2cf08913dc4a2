package stdio

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/mark3labs/mcp-go/mcp"
)

// conn is one served connection.
type conn struct {
	srv       jsonrpc.Server
	sess      *session
	opts      Options
	responses chan []byte
	slots     chan struct{}
	handlers  sync.WaitGroup
	requests  *jsonrpc.Requests // in flight, by id: where a notifications/cancelled goes

	writing   atomic.Bool   // the writer is inside a write to out
	waiting   atomic.Int64  // replies waiting for room in responses
	closing   chan struct{} // closed once no more responses will come: the writer drains and stops
	abandoned chan struct{} // closed when the shutdown grace ran out: nothing more is written
}

func (c *conn) readLoop(ctx context.Context, in io.Reader) error {
	r := bufio.NewReaderSize(in, 64<<10)
	lines := make(chan []byte)
	errs := make(chan error, 1)
	go func() {
		for {
			line, err := readLine(r, c.opts.MaxLineBytes)
			if err != nil && !errors.Is(err, errLineTooLong) {
				errs <- err
				return
			}
			if errors.Is(err, errLineTooLong) {
				line = nil // answered as a parse error below
			}
			select {
			case lines <- line:
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errs:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("stdio: read: %w", err)
		case line := <-lines:
			c.dispatch(ctx, line)
		}
	}
}

// dispatch routes one line: requests to a handler goroutine, notifications inline.
func (c *conn) dispatch(ctx context.Context, line []byte) {
	if line == nil {
		c.answer(ctx, jsonrpc.ErrorResponse(jsonrpc.ID{}, mcp.PARSE_ERROR, fmt.Sprintf("Parse error: line longer than %d bytes", c.opts.MaxLineBytes), nil))
		return
	}
	msg := jsonrpc.Classify(line)
	switch msg.Kind {
	case jsonrpc.Blank, jsonrpc.Response:
	case jsonrpc.Unparsable:
		c.answer(ctx, jsonrpc.ErrorResponse(jsonrpc.ID{}, mcp.PARSE_ERROR, "Parse error: not JSON", nil))
	case jsonrpc.Invalid:
		c.answer(ctx, jsonrpc.ErrorResponse(msg.ID, mcp.INVALID_REQUEST, msg.Reason, nil))
	case jsonrpc.Request:
		c.serveRequest(ctx, msg.ID, line)
	case jsonrpc.Notification:
		if msg.Method == string(mcp.MethodNotificationCancelled) {
			// Handled here, not by mcp-go, whose in-flight keys merge "7" and 7.
			c.requests.Cancel(msg.Cancels)
			return
		}
		jsonrpc.Handle(ctx, c.srv, jsonrpc.ID{}, line, c.opts.Logger)
	}
}

func (c *conn) serveRequest(ctx context.Context, id jsonrpc.ID, line []byte) {
	select {
	case c.slots <- struct{}{}:
	default:
		c.answer(ctx, jsonrpc.BusyResponse(id, fmt.Sprintf("server busy: %d requests in flight", c.opts.MaxInFlight)))
		return
	}
	reqCtx, ok := c.requests.Begin(ctx, id)
	if !ok {
		<-c.slots
		c.answer(ctx, jsonrpc.ErrorResponse(id, mcp.INVALID_REQUEST, fmt.Sprintf("Invalid Request: request id %s is already in flight; ids must be unique", id), nil))
		return
	}
	c.handlers.Go(func() {
		defer func() { <-c.slots }()
		resp := jsonrpc.Handle(reqCtx, c.srv, id, line, c.opts.Logger)
		if cancelled := c.requests.End(id); resp == nil || cancelled {
			return // the spec asks not to answer a cancelled request
		}
		c.reply(resp)
	})
}

// reply queues a handler's response for the writer; it waits while the
// queue is full, which is the backpressure of a slow reader, but never past
// the shutdown grace.
func (c *conn) reply(msg []byte) {
	c.waiting.Add(1)
	defer c.waiting.Add(-1)
	select {
	case c.responses <- msg:
	case <-c.abandoned:
	}
}

// answer queues a response the reader itself makes (parse errors, busy).
// Unlike reply it gives up once ctx is done, so that a blocked stdout
// cannot keep the reader from seeing the end of the session.
func (c *conn) answer(ctx context.Context, msg []byte) {
	c.waiting.Add(1)
	defer c.waiting.Add(-1)
	select {
	case c.responses <- msg:
	case <-ctx.Done():
	case <-c.abandoned:
	}
}
