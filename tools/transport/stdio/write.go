package stdio

import (
	"bufio"
	"context"
	"io"

	"github.com/bctrlhq/bctrl-mcp/tools/transport/jsonrpc"
	"github.com/mark3labs/mcp-go/mcp"
)

// writeLoop is the only writer of out. Before each response it writes the
// notifications already queued, which include all of that request's. It
// stops when closing is closed and the queues are empty, or as soon as it
// can once abandoned is closed.
func (c *conn) writeLoop(out io.Writer, abort context.CancelFunc) error {
	w := bufio.NewWriter(out)
	var failed error
	write := func(msg []byte) {
		if failed != nil {
			return
		}
		select {
		case <-c.abandoned:
			failed = ErrStdoutBlocked
			return
		default:
		}
		c.writing.Store(true)
		if _, err := w.Write(append(msg, '\n')); err != nil {
			failed = err
		} else if err := w.Flush(); err != nil {
			failed = err
		}
		c.writing.Store(false)
		if failed != nil {
			abort() // the client is gone: stop serving
		}
	}
	writeNotification := func(n mcp.JSONRPCNotification) {
		if raw, ok := jsonrpc.EncodeNotification(n, c.opts.Logger); ok {
			write(raw)
		}
	}
	drain := func() {
		for {
			select {
			case n := <-c.sess.notifications:
				writeNotification(n)
			default:
				return
			}
		}
	}
	for {
		select {
		case <-c.abandoned:
			return failed
		case n := <-c.sess.notifications:
			writeNotification(n)
		case resp := <-c.responses:
			drain()
			write(resp)
		case <-c.closing:
			for {
				select {
				case resp := <-c.responses:
					drain()
					write(resp)
				default:
					drain()
					return failed
				}
			}
		}
	}
}
