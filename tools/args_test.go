package tools

import (
	"strings"
	"testing"
)

func TestJSONDepth(t *testing.T) {
	tests := map[string]int{
		`{}`:                  1,
		`"[[[["`:              0,
		`{"a":[1,{"b":[]}]}`:  4,
		`{"a":"}]\"[{"}`:      1,
		`{"a":"\\","b":[[]]}`: 3,
		strings.Repeat("[", 40) + strings.Repeat("]", 40): 40,
		`{"s":"\\\"{{{"}`: 1,
	}
	for in, want := range tests {
		if got := jsonDepth([]byte(in)); got != want {
			t.Errorf("jsonDepth(%s) = %d, want %d", in, got, want)
		}
	}
}
