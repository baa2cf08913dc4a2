package tools

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// resultText is the text of an invocation's result: its state, the error,
// the agent's answer, the note, the files and the next step, at most
// budget characters. When it does not fit, the answer is cut to what fits
// and says how much was left out and where the whole is; cut reports that.
func resultText(inv *bctrl.Invocation, files invocationFiles, note string, budget int) (text string, cut bool) {
	head, answer := stateText(inv), answerText(inv)
	tail := ""
	if note != "" {
		tail += "\n" + note
	}
	tail += files.text()
	whole := head + answer + tail + "\nNext: " + nextHint(inv, false, files)
	if runeCount(whole) <= budget {
		return whole, false
	}
	tail += "\nNext: " + nextHint(inv, true, files)
	total := runeCount(answer)
	notice := func(kept int) string {
		return fmt.Sprintf("…\n[The answer is cut here: %d of its %d characters are left out. The whole answer is in structuredContent.result, and resources/read of %s returns the whole invocation (linked in this result).]",
			total-kept, total, InvocationURI(inv.ID))
	}
	room := budget - runeCount(head) - runeCount(tail) - runeCount(notice(0)) // notice(0) has the most digits
	if room < 0 {
		// Even without the answer the text is over: keep its start.
		return truncateRunes(head+notice(0)+tail, budget), true
	}
	kept := truncateRunes(answer, room)
	n := runeCount(kept)
	return head + kept + notice(n) + tail, true
}

// stateText is the first lines: status, duration, steps and the error.
func stateText(inv *bctrl.Invocation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Invocation %s: %s", inv.ID, statusLine(inv))
	if inv.DurationMS != nil {
		fmt.Fprintf(&b, " after %s", (time.Duration(*inv.DurationMS) * time.Millisecond).Round(100*time.Millisecond))
	}
	if inv.Status.Terminal() && inv.Steps() > 0 {
		fmt.Fprintf(&b, ", %d steps", inv.Steps())
	}
	b.WriteString(".")
	if e := inv.Error; e != nil {
		fmt.Fprintf(&b, "\nError: %s", e.Message)
		if e.Code != "" {
			fmt.Fprintf(&b, " (%s)", e.Code)
		}
	}
	return b.String()
}

// answerText is the agent's answer: each successful step's result as
// compact JSON, and each failed step's error.
func answerText(inv *bctrl.Invocation) string {
	r := inv.Result
	if r == nil {
		return ""
	}
	var b strings.Builder
	for _, s := range r.Steps {
		switch {
		case s.OK && s.Result != nil:
			fmt.Fprintf(&b, "\nResult: %s", compactJSON(s.Result))
		case !s.OK && s.Error != nil:
			fmt.Fprintf(&b, "\nStep %d (%s) failed: %s", s.Index, s.Call, s.Error.Message)
			if s.Error.Hint != "" {
				fmt.Fprintf(&b, " Hint: %s", s.Error.Hint)
			}
		}
	}
	return b.String()
}

// compactJSON renders v on one line, with <, > and & as they are (the
// model reads them more easily than their \u escapes).
func compactJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }

// truncateRunes keeps the first n characters of s.
func truncateRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
