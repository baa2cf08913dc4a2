package main

import (
	"bytes"
	"errors"
	"image/png"
	"os/exec"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestGoSDKReadsFilesInBothEras: the official Go SDK, pinned at 2025-11-25
// and at its default 2026-07-28, accepts a result with resource_link and
// image content, lists the templates, reads a text file and a PNG blob,
// and sees the era's code for an unknown invocation.
func TestGoSDKReadsFilesInBothEras(t *testing.T) {
	for _, era := range []struct {
		version string
		code    int64
	}{{"2025-11-25", -32002}, {"", -32602}} {
		name := era.version
		if name == "" {
			name = "default"
		}
		t.Run(name, func(t *testing.T) {
			ctx := t.Context()
			client := sdk.NewClient(&sdk.Implementation{Name: "go-sdk-files", Version: "1"}, nil)
			cmd := exec.Command(binPath)
			cmd.Env = simEnv()
			var opts *sdk.ClientSessionOptions
			if era.version != "" {
				opts = &sdk.ClientSessionOptions{ProtocolVersion: era.version}
			}
			session, err := client.Connect(ctx, &sdk.CommandTransport{Command: cmd}, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer session.Close()
			res, err := session.CallTool(ctx, &sdk.CallToolParams{Name: "create_invocation", Arguments: map[string]any{
				"provider": "stagehand", "input": map[string]any{"instruction": "Export the prices sim:artifacts sim:steps=2"}, "waitSeconds": 30}})
			if err != nil || res.IsError {
				t.Fatalf("create: %v %+v", err, res)
			}
			var links []*sdk.ResourceLink
			images := 0
			for _, c := range res.Content {
				switch c := c.(type) {
				case *sdk.ResourceLink:
					links = append(links, c)
				case *sdk.ImageContent:
					if c.MIMEType == "image/png" && len(c.Data) > 0 {
						images++
					}
				}
			}
			if len(links) != 2 || images != 1 {
				t.Fatalf("%d links and %d images in %+v", len(links), images, res.Content)
			}
			for _, l := range links {
				read, err := session.ReadResource(ctx, &sdk.ReadResourceParams{URI: l.URI})
				if err != nil || len(read.Contents) != 1 {
					t.Fatalf("read %s: %v", l.URI, err)
				}
				c := read.Contents[0]
				switch l.MIMEType {
				case "text/csv":
					if !strings.HasPrefix(c.Text, "product,price") || l.Size == nil || int(*l.Size) != len(c.Text) {
						t.Errorf("csv %+v (link size %v)", c, l.Size)
					}
				default:
					if _, err := png.Decode(bytes.NewReader(c.Blob)); err != nil || c.MIMEType != "image/png" {
						t.Errorf("screenshot %s: %v", c.MIMEType, err)
					}
				}
			}
			templates, err := session.ListResourceTemplates(ctx, nil)
			if err != nil || len(templates.ResourceTemplates) != 2 {
				t.Errorf("templates: %v, %+v", err, templates)
			}
			_, err = session.ReadResource(ctx, &sdk.ReadResourceParams{URI: "bctrl://invocations/0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c"})
			var werr *jsonrpc.Error
			if !errors.As(err, &werr) || werr.Code != era.code {
				t.Errorf("unknown invocation: %v, want code %d", err, era.code)
			}
		})
	}
}
