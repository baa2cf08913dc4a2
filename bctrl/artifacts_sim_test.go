package bctrl

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
)

// TestEachInvocationOfARunGetsItsOwnArtifacts runs two invocations one
// after the other in the same run (one runtime) against the simulator:
// the run lists four files, each invocation's window picks its two, and
// each downloads.
func TestEachInvocationOfARunGetsItsOwnArtifacts(t *testing.T) {
	clock := bctrlsim.NewManualClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	c, _ := simClient(t, bctrlsim.Options{Clock: clock})
	var ended []*Invocation
	for range 2 {
		inv := create(t, c, "Export the prices sim:artifacts sim:steps=2")
		clock.Advance(30 * time.Second) // past its end and past the grace
		got, err := c.GetInvocation(t.Context(), inv.ID)
		if err != nil || got.Status != StatusSucceeded || got.ArtifactCount == nil || *got.ArtifactCount != 2 {
			t.Fatalf("invocation: %+v, %v", got, err)
		}
		ended = append(ended, got)
	}
	if ended[0].RunID != ended[1].RunID {
		t.Fatalf("the invocations ran in different runs: %s, %s", ended[0].RunID, ended[1].RunID)
	}
	all, err := c.ListRunArtifacts(t.Context(), ended[0].RunID)
	if err != nil || len(all) != 4 {
		t.Fatalf("run artifacts: %d, %v", len(all), err)
	}
	seen := map[string]bool{}
	for i, inv := range ended {
		mine := InvocationArtifacts(inv, all)
		if len(mine) != 2 || mine[0].Kind != "download" || mine[1].Kind != "screenshot" {
			t.Fatalf("invocation %d picked %+v", i, mine)
		}
		for _, a := range mine {
			if seen[a.ID] {
				t.Errorf("artifact %s picked by both invocations", a.ID)
			}
			seen[a.ID] = true
			d, err := c.DownloadArtifact(t.Context(), a, 1<<20)
			if err != nil || int64(len(d.Data)) != *a.SizeBytes || !strings.HasPrefix(d.ContentType, a.ContentType) {
				t.Errorf("download %s: %v, %d bytes as %q", a.Name, err, len(d.Data), d.ContentType)
			}
		}
	}
}

// TestSimulatorDownloadThroughStorage: the simulator's download address
// redirects to its https storage, which answers 400 to any request that
// carries a key; the download arrives.
func TestSimulatorDownloadThroughStorage(t *testing.T) {
	clock := bctrlsim.NewManualClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	sim := bctrlsim.New(bctrlsim.Options{APIKey: testKey, Clock: clock})
	api := httptest.NewServer(sim)
	t.Cleanup(api.Close)
	store := httptest.NewTLSServer(sim.Storage())
	t.Cleanup(store.Close)
	sim.RedirectDownloadsTo(store.URL)
	c, err := NewClient(WithBaseURL(api.URL), WithAPIKey(testKey), WithHTTPClient(store.Client()), WithRetryPolicy(fastRetries))
	if err != nil {
		t.Fatal(err)
	}
	inv := create(t, c, "sim:artifacts sim:steps=1")
	clock.Advance(time.Minute)
	all, err := c.ListRunArtifacts(t.Context(), inv.RunID)
	if err != nil || len(all) != 2 {
		t.Fatalf("%d artifacts, %v", len(all), err)
	}
	for _, a := range all {
		if d, err := c.DownloadArtifact(t.Context(), a, 1<<20); err != nil || int64(len(d.Data)) != *a.SizeBytes {
			t.Errorf("%s through storage: %v", a.Name, err)
		}
	}
}
