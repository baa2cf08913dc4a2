package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// row is one line of a result table.
type row struct {
	name    string
	unit    string
	samples []float64 // several samples print min/median/p99; one prints as a value
	ref     string    // name of the row this one is compared with, if any
	note    string
}

func durations(ds []time.Duration, unit time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d) / float64(unit)
	}
	return out
}

func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func (r row) median() float64 {
	s := slices.Sorted(slices.Values(r.samples))
	return quantile(s, 0.5)
}

// table renders rows as Markdown, with the ratio of medians against each row's reference.
func table(title string, rows []row) string {
	byName := map[string]row{}
	for _, r := range rows {
		byName[r.name] = r
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n### %s\n\n| measure | unit | min | median | p99 | n | vs | note |\n|---|---|---:|---:|---:|---:|---|---|\n", title)
	for _, r := range rows {
		s := slices.Sorted(slices.Values(r.samples))
		vs := ""
		if ref, ok := byName[r.ref]; ok && ref.median() != 0 {
			vs = strconv.FormatFloat(r.median()/ref.median(), 'g', 3, 64) + "× " + r.ref
		}
		if len(s) == 1 {
			fmt.Fprintf(&b, "| %s | %s | | %s | | 1 | %s | %s |\n", r.name, r.unit, num(s[0]), vs, r.note)
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %d | %s | %s |\n", r.name, r.unit, num(s[0]), num(quantile(s, 0.5)), num(quantile(s, 0.99)), len(s), vs, r.note)
	}
	return b.String()
}

func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}
