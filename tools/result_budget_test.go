package tools

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/mark3labs/mcp-go/mcp"
)

// answerJSON is the compact JSON of the first step's answer, as the text shows it.
func answerJSON(t *testing.T, res *mcp.CallToolResult) string {
	t.Helper()
	raw, _ := json.Marshal(res.StructuredContent)
	var out struct {
		Result struct {
			Steps []struct {
				Result json.RawMessage `json:"result"`
			} `json:"steps"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Result.Steps) == 0 {
		t.Fatalf("no answer in %s", raw)
	}
	var v any
	_ = json.Unmarshal(out.Result.Steps[0].Result, &v)
	return compactJSON(v)
}

// TestLargeAnswerReachesTheTextWhole: 80 products (about 9 KB) fit the
// default budget, so the text carries every one of them, and nothing says
// the answer is "above".
func TestLargeAnswerReachesTheTextWhole(t *testing.T) {
	h := newHarness(t, nil, false)
	res := h.call("create_invocation", stagehand("List the catalogue sim:rows=80 sim:steps=2", 30))
	out := h.output(res)
	answer := answerJSON(t, res)
	if len(answer) < 8000 || !strings.Contains(text(res), "Result: "+answer) {
		t.Fatalf("the text does not carry the whole %d-byte answer:\n%s", len(answer), text(res))
	}
	for i := 1; i <= 80; i++ {
		if !strings.Contains(text(res), fmt.Sprintf("Product %04d", i)) {
			t.Errorf("product %d is missing from the text", i)
		}
	}
	if strings.Contains(out.Next, "above") || !strings.Contains(out.Next, "result.steps[].result") || len(contents[mcp.ResourceLink](res)) != 0 {
		t.Errorf("next %q, links %v", out.Next, contents[mcp.ResourceLink](res))
	}
	t.Logf("text of an 80-product result: %d bytes", len(text(res)))
}

// TestAnswerOverTheBudgetLinksTheWhole: over the budget the text carries
// the first part and says how much is left out; a resource_link to the
// invocation reads back the whole answer.
func TestAnswerOverTheBudgetLinksTheWhole(t *testing.T) {
	h := newHarnessDeps(t, nil, false, func(d *Deps) { d.ResultBudget = 3000 })
	res := h.call("create_invocation", stagehand("List the catalogue sim:rows=80 sim:steps=2", 30))
	out := h.output(res)
	body := text(res)
	answer := answerJSON(t, res)
	if n := runeCount(body); n > 3000 || n < 2500 {
		t.Errorf("text is %d characters, want the 3000 budget nearly used", n)
	}
	if !strings.Contains(body, "Result: "+answer[:1000]) || !strings.Contains(body, "left out") || !strings.Contains(body, "Next:") {
		t.Errorf("the text should hold the answer's start, say what was left out and keep the next step:\n%s", body)
	}
	uri := InvocationURI(out.ID)
	if ls := contents[mcp.ResourceLink](res); len(ls) != 1 || ls[0].URI != uri || ls[0].MIMEType != "application/json" {
		t.Fatalf("links %+v, want one to %s", ls, uri)
	}
	if !strings.Contains(out.Next, uri) || strings.Contains(out.Next, "above") {
		t.Errorf("next %q does not say where the whole answer is", out.Next)
	}
	read, err := h.client.ReadResource(t.Context(), mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: uri}})
	if err != nil {
		t.Fatal(err)
	}
	whole := read.Contents[0].(mcp.TextResourceContents)
	var inv struct {
		ID     string `json:"id"`
		Result struct {
			Steps []struct {
				Result []map[string]any `json:"result"`
			} `json:"steps"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(whole.Text), &inv); err != nil || whole.MIMEType != "application/json" || whole.URI != uri {
		t.Fatalf("read %s: %v, %+v", uri, err, whole)
	}
	if inv.ID != out.ID || len(inv.Result.Steps) != 1 || len(inv.Result.Steps[0].Result) != 80 {
		t.Errorf("the resource holds %d rows, want all 80", len(inv.Result.Steps[0].Result))
	}
}

// TestHugeAnswerStaysWithinTheDefaultBudget: 2,000 rows (about 220 KB) are
// cut to the default 24,000 characters.
func TestHugeAnswerStaysWithinTheDefaultBudget(t *testing.T) {
	h := newHarness(t, nil, false)
	res := h.call("create_invocation", stagehand("List everything sim:rows=2000 sim:steps=2", 30))
	if n := runeCount(text(res)); n > DefaultResultBudget || n < DefaultResultBudget-500 {
		t.Errorf("text is %d characters, want just under %d", n, DefaultResultBudget)
	}
	if len(contents[mcp.ResourceLink](res)) != 1 {
		t.Errorf("links %v", contents[mcp.ResourceLink](res))
	}
	t.Logf("text of a 2,000-row result: %d bytes", len(text(res)))
}

func TestResultTextCutsByCharacters(t *testing.T) {
	if got := truncateRunes("añb€c", 3); got != "añb" {
		t.Errorf("truncateRunes = %q", got)
	}
	if got := truncateRunes("ab", 5); got != "ab" {
		t.Errorf("truncateRunes = %q", got)
	}
}

// TestResultTextNeverExceedsTheBudget: whatever the answer, error and
// files, the text fits any budget, however small.
func TestResultTextNeverExceedsTheBudget(t *testing.T) {
	rows := make([]any, 500)
	for i := range rows {
		rows[i] = map[string]any{"name": strings.Repeat("é", i%40), "n": i}
	}
	inv := &bctrl.Invocation{ID: unknownID, Status: bctrl.StatusFailed,
		Error:  &bctrl.InvocationError{Code: "invocation.failed", Message: strings.Repeat("a long reason ", 200)},
		Result: &bctrl.InvocationResult{Steps: []bctrl.Step{{OK: true, Result: rows}, {Index: 1, Call: "agent.execute", Error: &bctrl.StepError{Message: "no"}}}}}
	files := invocationFiles{reported: 30}
	for i := range 30 {
		files.artifacts = append(files.artifacts, bctrl.Artifact{ID: fmt.Sprint(i), RunID: unknownID, Name: "shot.png", ContentType: "image/png"})
	}
	for _, budget := range []int{1, 100, 1000, 3000, 10000, 24000, 1 << 20} {
		got, cut := resultText(inv, files, "a note", budget)
		if n := runeCount(got); n > budget || !utf8.ValidString(got) {
			t.Errorf("budget %d: text of %d characters (valid UTF-8: %v)", budget, n, utf8.ValidString(got))
		}
		if cut != (budget < 1<<20) {
			t.Errorf("budget %d: cut = %v", budget, cut)
		}
	}
}
