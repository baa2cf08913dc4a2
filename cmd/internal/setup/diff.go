package setup

import (
	"regexp"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// showDiff is a unified diff of a config change with secrets masked: the
// API key wherever it appears, and the value of any field whose name looks
// like a secret (other servers' tokens show up as context lines too).
func showDiff(ch *change, apiKey string) string {
	oldLabel := ch.path
	if !ch.existed {
		oldLabel = "/dev/null (new file)"
	}
	d := udiff.Unified(oldLabel, ch.path, mask(string(ch.before), apiKey), mask(string(ch.after), apiKey))
	return strings.TrimRight(d, "\n")
}

// stringField matches one `"name": "value"` pair of a JSON text.
var stringField = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"`)

var (
	secretWords = regexp.MustCompile(`(?i)key|token|secret|passw|credential|auth`)
	patWord     = regexp.MustCompile(`(?i)(^|[_-])pat($|[_-])`)
)

func mask(text, apiKey string) string {
	if apiKey != "" {
		text = strings.ReplaceAll(text, apiKey, "[your API key]")
	}
	return stringField.ReplaceAllStringFunc(text, func(m string) string {
		parts := stringField.FindStringSubmatch(m)
		name, value := parts[1], parts[3]
		if !secretWords.MatchString(name) && !patWord.MatchString(name) {
			return m
		}
		// References such as ${BCTRL_API_KEY} or ${input:x} are not secrets.
		if value == "" || value == "[your API key]" || strings.HasPrefix(value, "${") {
			return m
		}
		return `"` + name + `"` + parts[2] + `"[hidden]"`
	})
}
