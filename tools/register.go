package tools

import (
	"fmt"
	"time"

	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/bctrlhq/bctrl-mcp/tools/panel"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Instructions tell the assistant how the tools fit together.
const Instructions = "Run durable browser-agent work (Stagehand or browser-use) in a bctrl cloud browser. " +
	"Call create_invocation to start it; it waits up to waitSeconds (default 20) and returns the current state. " +
	"While `terminal` is false, call get_invocation with waitSeconds up to 50 to keep following it; " +
	"call cancel_invocation to stop it. Retrying a create with the same idempotencyKey never starts a second invocation."

// NewServer builds the MCP server with the tools and the invocation panel
// (an MCP Apps view, advertised as an extension) registered.
func NewServer(name, version string, deps Deps) (*server.MCPServer, error) {
	s, _, err := NewServerAndInvocations(name, version, deps)
	return s, err
}

// NewServerAndInvocations is NewServer plus the Invocations of the same
// tools, for a layer that answers in front of the server (tools/tasks).
// Both share one validator and one retry memory, so a create the client
// gave up on in one path is recognised when it is retried through the other.
func NewServerAndInvocations(name, version string, deps Deps) (*server.MCPServer, *Invocations, error) {
	ts, err := newToolset(deps)
	if err != nil {
		return nil, nil, err
	}
	s := server.NewMCPServer(name, version,
		server.WithToolCapabilities(false),
		server.WithResourceCapabilities(false, false),
		server.WithExtensions(map[string]any{panel.ExtensionID: panel.ExtensionSettings()}),
		server.WithLogging(),
		server.WithRecovery(),
		server.WithInstructions(Instructions),
	)
	ts.register(s)
	panel.Register(s)
	return s, &Invocations{ts: ts}, nil
}

// newToolset is the one place the tools' shared state is built from Deps.
func newToolset(deps Deps) (*toolset, error) {
	if deps.API == nil {
		return nil, fmt.Errorf("tools: no API client")
	}
	deps = deps.withDefaults()
	published, err := schema.Published()
	if err != nil {
		return nil, err
	}
	ts := &toolset{deps: deps, validator: schema.NewValidator(), published: published}
	if deps.APIKeyFingerprint != nil {
		ts.retries = newRetryMemory(deps.APIKeyFingerprint, time.Now)
	}
	return ts, nil
}

// register adds the tools to s (all three, or only get_invocation when
// read-only) and the resource templates of invocations and run artifacts.
func (ts *toolset) register(s *server.MCPServer) {
	for _, def := range ts.definitions() {
		if ts.deps.ReadOnly && !readOnlyTool(def.tool) {
			continue
		}
		s.AddTool(def.tool, def.handler)
	}
	ts.registerResources(s)
}

// definition is a tool and its handler.
type definition struct {
	tool    mcp.Tool
	handler server.ToolHandlerFunc
}

func (ts *toolset) definitions() []definition {
	return []definition{withPanel(ts.createInvocation()), withPanel(ts.getInvocation()), ts.cancelInvocation()}
}

// withPanel has MCP Apps hosts show the invocation panel with the tool's
// results; other clients ignore the _meta, and it never reaches the model.
func withPanel(d definition) definition {
	d.tool.Meta = panel.ToolMeta()
	return d
}

// hints are the four annotation hints, all set explicitly: mcp-go's defaults
// would advertise every tool as destructive.
type hints struct{ readOnly, destructive, idempotent, openWorld bool }

// newTool builds a tool with its published raw schemas and explicit annotations.
func (ts *toolset) newTool(name, title, description string, h hints) mcp.Tool {
	t := mcp.NewTool(name,
		mcp.WithDescription(description),
		mcp.WithTitleAnnotation(title),
		mcp.WithReadOnlyHintAnnotation(h.readOnly),
		mcp.WithDestructiveHintAnnotation(h.destructive),
		mcp.WithIdempotentHintAnnotation(h.idempotent),
		mcp.WithOpenWorldHintAnnotation(h.openWorld),
	)
	t.InputSchema = mcp.ToolInputSchema{} // NewTool pre-fills it, which conflicts with a raw schema
	t.RawInputSchema = ts.published[name].Input
	t.RawOutputSchema = ts.published[name].Output
	return t
}

func readOnlyTool(t mcp.Tool) bool {
	return t.Annotations.ReadOnlyHint != nil && *t.Annotations.ReadOnlyHint
}

// List returns the tool definitions as a client sees them, for docs and
// schema printing; it needs no API client.
func List(readOnly bool) ([]mcp.Tool, error) {
	published, err := schema.Published()
	if err != nil {
		return nil, err
	}
	ts := &toolset{published: published}
	var out []mcp.Tool
	for _, def := range ts.definitions() {
		if !readOnly || readOnlyTool(def.tool) {
			out = append(out, def.tool)
		}
	}
	return out, nil
}
