package streamablehttp

import (
	"strings"
	"testing"
)

func TestErrorCode(t *testing.T) {
	big := `"` + strings.Repeat("x", 1<<20) + `"`
	for answer, want := range map[string]int{
		`{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"no"}}`: -32601,
		`{"jsonrpc":"2.0","id":{"a":[1]},"error":{"code":-32020}}`:        -32020,
		`{"jsonrpc":"2.0","id":1,"result":{"content":[` + big + `]}}`:     0,
		`{"error":{"code":-31000},"id":"x"}`:                              -31000,
		`not json`:                                                        0,
		`{"jsonrpc":"2.0","id":1,"error":"flat"}`:                         0,
	} {
		if got := errorCode([]byte(answer)); got != want {
			t.Errorf("errorCode(%.60s…) = %d, want %d", answer, got, want)
		}
	}
}
