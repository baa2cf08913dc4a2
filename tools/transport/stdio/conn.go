package stdio

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
)

// conn is one served connection.
type conn struct {
	srv       jsonrpc.Server
	sess      *session
	opts      Options
	responses chan []byte
	slots     chan struct{}
	handlers  sync.WaitGroup
	cancelled *jsonrpc.Cancelled // requests the client cancelled: their responses are dropped

	writerDone chan struct{}
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
		c.reply(jsonrpc.ErrorResponse(nil, jsonrpc.CodeParseError, "Parse error"))
		return
	}
	msg := jsonrpc.Classify(line)
	switch msg.Kind {
	case jsonrpc.Blank, jsonrpc.Response:
	case jsonrpc.Unparsable:
		c.reply(jsonrpc.ErrorResponse(nil, jsonrpc.CodeParseError, "Parse error"))
	case jsonrpc.Invalid:
		c.reply(jsonrpc.ErrorResponse(msg.ID, jsonrpc.CodeInvalidRequest, msg.Reason))
	case jsonrpc.Request:
		c.serveRequest(ctx, msg.ID, line)
	case jsonrpc.Notification:
		if msg.CancelledID != nil {
			c.cancelled.Mark(msg.CancelledID)
		}
		jsonrpc.Handle(ctx, c.srv, nil, line, c.opts.Logger)
	}
}

func (c *conn) serveRequest(ctx context.Context, id json.RawMessage, line []byte) {
	select {
	case c.slots <- struct{}{}:
	default:
		c.reply(jsonrpc.ErrorResponse(id, jsonrpc.CodeServerBusy, fmt.Sprintf("server busy: %d requests in flight", c.opts.MaxInFlight)))
		return
	}
	c.handlers.Go(func() {
		defer func() { <-c.slots }()
		resp := jsonrpc.Handle(ctx, c.srv, id, line, c.opts.Logger)
		if resp == nil || c.cancelled.Take(id) {
			return // the spec asks not to answer a cancelled request
		}
		c.reply(resp)
	})
}

func (c *conn) reply(msg []byte) {
	select {
	case c.responses <- msg:
	case <-c.writerDone:
	}
}
