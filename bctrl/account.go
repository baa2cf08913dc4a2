package bctrl

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
)

// maxListPages bounds how many pages one list call follows, so an API that
// keeps answering with a new cursor cannot keep the caller forever.
const maxListPages = 100

// Whoami checks the key and returns what the API says about its owner
// (GET /v1/auth/whoami). A bad key is an *APIError with status 401 or 403.
func (c *Client) Whoami(ctx context.Context) (Identity, error) {
	var raw json.RawMessage
	if err := c.do(ctx, call{method: "GET", path: "/v1/auth/whoami"}, &raw); err != nil {
		return Identity{}, err
	}
	return decodeIdentity(raw)
}

// ListSpaces returns every space the key can see, following nextCursor.
func (c *Client) ListSpaces(ctx context.Context) ([]Space, error) {
	var out []Space
	err := c.list(ctx, "/v1/spaces", nil, "spaces", func(item map[string]any) {
		if s, ok := decodeSpace(item); ok {
			out = append(out, s)
		}
	})
	return out, err
}

// ListRuntimes returns every runtime of a space, following nextCursor. An
// unknown space is an *APIError with status 404.
func (c *Client) ListRuntimes(ctx context.Context, spaceID string) ([]Runtime, error) {
	var out []Runtime
	err := c.list(ctx, "/v1/spaces/"+url.PathEscape(spaceID)+"/runtimes", nil, "runtimes", func(item map[string]any) {
		if r, ok := decodeRuntime(item); ok {
			out = append(out, r)
		}
	})
	return out, err
}

// list reads every page of a list route, each asked for with base (and the
// previous page's cursor) as its query, and hands each item to each.
func (c *Client) list(ctx context.Context, path string, base url.Values, key string, each func(map[string]any)) error {
	seen := map[string]bool{}
	cursor := ""
	for range maxListPages {
		query := url.Values{}
		maps.Copy(query, base)
		if cursor != "" {
			query.Set("cursor", cursor)
		}
		var page listPage
		if err := c.do(ctx, call{method: "GET", path: path, query: query}, &page); err != nil {
			return err
		}
		for _, item := range page.items(key) {
			each(item)
		}
		seen[cursor] = true
		if cursor = page.next(); cursor == "" {
			return nil
		}
		if seen[cursor] {
			return fmt.Errorf("bctrl: GET %s: the API answered cursor %q twice; stopping", path, cursor)
		}
	}
	return fmt.Errorf("bctrl: GET %s: more than %d pages; stopping", path, maxListPages)
}
