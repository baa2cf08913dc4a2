package bctrlsim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Ids of the default directory's space and its ready runtime. They are the
// ids bctrl-mcp --simulate uses as defaults, so a configuration written by
// setup against the simulator also works with --simulate.
const (
	SeedSpaceID          = "5b0c1a2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d"
	SeedRuntimeID        = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"
	SeedStoppedRuntimeID = "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b"
)

// SeedAPIKey is the key the simulators that bctrl-mcp starts for itself
// (--simulate, demo, preview) require; any key works with Options.APIKey "".
const SeedAPIKey = "bctrl_simulated_key"

// Route names of the account routes, for aiming faults.
const (
	RouteWhoami   = "whoami"
	RouteSpaces   = "spaces"
	RouteRuntimes = "runtimes"
)

// Directory is the account the simulator describes on GET /v1/auth/whoami,
// GET /v1/spaces and GET /v1/spaces/{spaceId}/runtimes. These routes only
// read it; creates accept any uuid space and runtime, as before.
type Directory struct {
	// Identity is the whoami answer.
	Identity map[string]any
	Spaces   []DirectorySpace
}

// DirectorySpace is a space and its runtimes.
type DirectorySpace struct {
	ID, Name string
	Runtimes []DirectoryRuntime
}

// DirectoryRuntime is a runtime as the list route shows it.
type DirectoryRuntime struct {
	ID, Name string
	// Status is active, stopped or failed.
	Status string
	// ActiveRunID is set while a run is active.
	ActiveRunID string
}

// DefaultDirectory is one space with a ready runtime and a stopped one.
func DefaultDirectory() *Directory {
	return &Directory{
		Identity: map[string]any{
			"email": "sim@example.com", "organizationId": "org_simulated", "scope": "organization",
			"subaccountId": nil, "defaultSpaceId": SeedSpaceID, "keyId": "key_simulated", "plan": "simulated",
		},
		Spaces: []DirectorySpace{{
			ID: SeedSpaceID, Name: "Simulated space",
			Runtimes: []DirectoryRuntime{
				{ID: SeedRuntimeID, Name: "Simulated browser", Status: "active", ActiveRunID: "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"},
				{ID: SeedStoppedRuntimeID, Name: "Stopped browser", Status: "stopped"},
			},
		}},
	}
}

// Page sizes of the list routes.
const (
	defaultPageSize = 20
	maxPageSize     = 100
)

// matchDirectory maps the account routes; parts is the path split on "/".
func matchDirectory(method string, parts []string) (string, []string) {
	switch {
	case method != "GET" || len(parts) < 2 || parts[0] != "v1":
	case len(parts) == 3 && parts[1] == "auth" && parts[2] == "whoami":
		return RouteWhoami, nil
	case len(parts) == 2 && parts[1] == "spaces":
		return RouteSpaces, nil
	case len(parts) == 4 && parts[1] == "spaces" && parts[3] == "runtimes":
		return RouteRuntimes, []string{parts[2]}
	}
	return "", nil
}

func (s *Simulator) directory() *Directory {
	if s.opts.Directory != nil {
		return s.opts.Directory
	}
	return defaultDirectory
}

var defaultDirectory = DefaultDirectory()

func (s *Simulator) whoami(w http.ResponseWriter, _ *http.Request, _ []string) {
	s.write(w, http.StatusOK, s.directory().Identity)
}

func (s *Simulator) listSpaces(w http.ResponseWriter, r *http.Request, _ []string) {
	spaces := s.directory().Spaces
	items := make([]any, len(spaces))
	for i, sp := range spaces {
		items[i] = map[string]any{"id": sp.ID, "name": sp.Name}
	}
	s.writePage(w, r, "spaces", items)
}

func (s *Simulator) listRuntimes(w http.ResponseWriter, r *http.Request, params []string) {
	for _, sp := range s.directory().Spaces {
		if sp.ID != params[0] {
			continue
		}
		items := make([]any, len(sp.Runtimes))
		for i, rt := range sp.Runtimes {
			var run any
			if rt.ActiveRunID != "" {
				run = rt.ActiveRunID
			}
			items[i] = map[string]any{"id": rt.ID, "spaceId": sp.ID, "name": rt.Name, "type": "browser", "status": rt.Status, "activeRunId": run}
		}
		s.writePage(w, r, "runtimes", items)
		return
	}
	s.fail(w, http.StatusNotFound, "space.not_found", fmt.Sprintf("space %q not found", params[0]), "list your spaces with GET /v1/spaces")
}

// writePage answers one page of items under key, with the cursor of the next
// page or null. Cursors are opaque offsets; a forged one is refused.
func (s *Simulator) writePage(w http.ResponseWriter, r *http.Request, key string, items []any) {
	q := r.URL.Query()
	limit := defaultPageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageSize {
			s.fail(w, http.StatusBadRequest, "request.invalid", fmt.Sprintf("limit %q must be an integer from 1 to %d", v, maxPageSize), "")
			return
		}
		limit = n
	}
	offset := 0
	if c := q.Get("cursor"); c != "" {
		n, ok := decodeCursor(c)
		if !ok || n > len(items) {
			s.fail(w, http.StatusBadRequest, "request.invalid", "cursor is not one this API issued", "pass the nextCursor of the previous page unchanged")
			return
		}
		offset = n
	}
	end := min(offset+limit, len(items))
	var next any
	if end < len(items) {
		next = encodeCursor(end)
	}
	s.write(w, http.StatusOK, map[string]any{key: items[offset:end], "nextCursor": next})
}

func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

func decodeCursor(c string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(raw), "offset:"))
	if err != nil || n < 0 || !strings.HasPrefix(string(raw), "offset:") {
		return 0, false
	}
	return n, true
}
