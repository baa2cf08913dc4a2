package main

import (
	"strings"
	"testing"
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
