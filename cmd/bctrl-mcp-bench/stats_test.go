package main

import (
	"strings"
	"testing"
	"time"
)

func TestQuantileAndTable(t *testing.T) {
	sorted := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for q, want := range map[float64]float64{0.5: 5, 0.99: 10, 0: 1, 0.1: 1} {
		if got := quantile(sorted, q); got != want {
			t.Errorf("quantile(%v) = %v, want %v", q, got, want)
		}
	}
	out := table("T", []row{
		{name: "ours", unit: "ms", samples: []float64{4, 2, 6}, ref: "theirs"},
		{name: "theirs", unit: "ms", samples: []float64{8}},
	})
	for _, want := range []string{"### T", "| ours | ms | 2.00 | 4.00 | 6.00 | 3 | 0.5× theirs |", "| theirs | ms | | 8.00 | | 1 |"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestColdStartsAlternateAndPair(t *testing.T) {
	servers := []server{{name: ourName}, {name: toyName}, {name: referenceName, every: 2}}
	var order []string
	started := map[string]int{}
	// Each server's n-th start takes n times its own unit: 3 ms for ours, 2 ms for the others.
	start := func(s server) (startTimes, error) {
		order = append(order, s.name)
		started[s.name]++
		unit := 2 * time.Millisecond
		if s.name == ourName {
			unit = 3 * time.Millisecond
		}
		d := time.Duration(started[s.name]) * unit
		return startTimes{initialize: d, list: d}, nil
	}
	rows, err := coldStartRows(servers, 4, start)
	if err != nil {
		t.Fatal(err)
	}
	// The first server of a round rotates; the reference runs every other round.
	want := []string{ourName, toyName, referenceName, toyName, ourName, referenceName, ourName, toyName, ourName, toyName}
	if strings.Join(order, ",") != strings.Join(want, ",") {
		t.Errorf("start order\n%v, want\n%v", order, want)
	}
	byName := map[string]row{}
	for _, r := range rows {
		byName[r.name] = r
	}
	if r := byName[referenceName+": exec → initialize"]; len(r.samples) != 2 {
		t.Errorf("reference ran %d times, want every other round (2)", len(r.samples))
	}
	paired := byName["bctrl-mcp ÷ toy, same round: exec → initialize"]
	if len(paired.samples) != 4 || paired.median() != 1.5 {
		t.Errorf("paired ratios %v, want 4 of 1.5", paired.samples)
	}
	if r := byName[ourName+": exec → initialize"]; r.ref != toyName+": exec → initialize" {
		t.Errorf("bctrl-mcp is compared with %q, want the toy", r.ref)
	}
}
