// Package panel serves the live invocation panel: an MCP Apps view
// (extension io.modelcontextprotocol/ui) that hosts render in a sandboxed
// iframe beside a create_invocation or get_invocation result. The view is
// one self-contained HTML file, invocation.html, embedded in the binary; it
// speaks the Apps postMessage protocol itself and follows the invocation
// by calling get_invocation through the host.
//
// Hosts without the extension ignore the tools' _meta and show the ordinary
// result; nothing here is visible to the model.
package panel

import (
	"context"
	_ "embed"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Identifiers fixed by the MCP Apps specification (2026-01-26) and by us.
const (
	// ExtensionID is the capability key under capabilities.extensions.
	ExtensionID = "io.modelcontextprotocol/ui"
	// URI names the panel's resource; tools point at it from _meta.ui.resourceUri.
	URI = "ui://bctrl/invocation"
	// MIMEType marks an HTML resource as an MCP Apps view.
	MIMEType = "text/html;profile=mcp-app"
)

//go:embed invocation.html
var html string

// HTML returns the view: one HTML document with inline script and style
// that fetches nothing from the network.
func HTML() string { return html }

// ExtensionSettings is what the server advertises under
// capabilities.extensions[ExtensionID]: the view types it serves.
func ExtensionSettings() map[string]any {
	return map[string]any{"mimeTypes": []string{MIMEType}}
}

// ToolMeta is the _meta a tool carries to have hosts show the panel with
// its results. It adds exactly `"_meta":{"ui":{"resourceUri":"ui://bctrl/invocation"}}`
// to the tool's tools/list entry; visibility is left at its default
// (model and app), which keeps every tool callable from the panel.
func ToolMeta() *mcp.Meta {
	return &mcp.Meta{AdditionalFields: map[string]any{"ui": map[string]any{"resourceUri": URI}}}
}

// resourceMeta is the view's _meta.ui: no external origins of any kind
// (an explicitly empty CSP allowance), clipboard access for "copy JSON"
// where the host grants it, and a request for the host's border.
func resourceMeta() map[string]any {
	return map[string]any{"ui": map[string]any{
		"csp":           map[string]any{"connectDomains": []string{}, "resourceDomains": []string{}},
		"permissions":   map[string]any{"clipboardWrite": map[string]any{}},
		"prefersBorder": true,
	}}
}

// Register adds the panel's resource to s. Call it on a server built with
// resource capabilities and ExtensionSettings advertised.
func Register(s *server.MCPServer) {
	res := mcp.NewResource(URI, "invocation_panel",
		mcp.WithResourceDescription("Live view of a bctrl invocation for hosts that render MCP Apps."),
		mcp.WithMIMEType(MIMEType),
	)
	res.Meta = &mcp.Meta{AdditionalFields: resourceMeta()}
	s.AddResource(res, func(context.Context, mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
		return []mcp.ResourceContents{mcp.TextResourceContents{URI: URI, MIMEType: MIMEType, Text: html, Meta: resourceMeta()}}, nil
	})
}
