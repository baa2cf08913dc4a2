package schema

import (
	"encoding/json"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/jsonval"
)

// TestOutputSchemaAcceptsEveryResult validates a result with every field
// set, plus fields a newer API (or a later version of this server) adds,
// against each tool's output schema: clients reject a result that breaks it.
func TestOutputSchemaAcceptsEveryResult(t *testing.T) {
	out := InvocationOutput{Invocation: fullInvocation(), Terminal: true, Next: "nothing", IdempotencyKey: "k"}
	raw, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var value map[string]any
	if err := json.Unmarshal(raw, &value); err != nil {
		t.Fatal(err)
	}
	value["artifacts"] = []any{map[string]any{"id": "a", "name": "shot.png", "sizeBytes": 1}}
	value["billing"] = map[string]any{"credits": 3}
	value["result"].(map[string]any)["summary"] = "added later"
	value["result"].(map[string]any)["steps"].([]any)[0].(map[string]any)["durationMs"] = 12
	value["error"].(map[string]any)["retryable"] = false
	value["request"].(map[string]any)["priority"] = 1
	value["progress"].(map[string]any)["percent"] = 50
	raw, _ = json.Marshal(value)

	published, err := Published()
	if err != nil {
		t.Fatal(err)
	}
	for name, tool := range published {
		v, err := compileRaw(name, tool.Output)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonval.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		if problems := v.Validate(doc); len(problems) > 0 {
			t.Errorf("%s output schema rejects a result: %s", name, jsonval.Summary(problems))
		}
	}
}

// TestPublishedInputAcceptsEveryValidCall checks that the flat published
// schema accepts calls with every field of each provider set, as the exact
// schema of that provider does: a client that validates arguments against
// the published schema must never refuse a valid call.
func TestPublishedInputAcceptsEveryValidCall(t *testing.T) {
	published, err := Published()
	if err != nil {
		t.Fatal(err)
	}
	flat, err := compileRaw("published", published[ToolCreate].Input)
	if err != nil {
		t.Fatal(err)
	}
	for provider, call := range map[bctrl.Provider]string{
		bctrl.ProviderStagehand: `{"provider":"stagehand","operation":"agent.execute","input":{"instruction":"Find the cheapest flight"},
			"config":{"executionModel":{"connection":"c1","model":"gpt-5"},"model":{"provider":"anthropic","model":"claude-sonnet-4","apiKey":"k"},"systemPrompt":"Be brief."},
			"options":{"highlightCursor":true,"maxSteps":9,"timeout":60000,"variables":{"city":"Paris","n":2,"ok":true,"pw":{"value":"x","description":"password"}}},
			"files":[{"storagePath":"in/a.csv","name":"a.csv"},{"fileId":"0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c"}],
			"idempotencyKey":"k1","metadata":{"team":"ops","n":[1,2]},"target":{"type":"browser_page","page":"active"},
			"toolsetId":"7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d","spaceId":"6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d",
			"runtimeId":"7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d","waitSeconds":50}`,
		bctrl.ProviderBrowserUse: `{"provider":"browserUse","input":{"instruction":"Download the invoice"},"options":{"maxSteps":3},
			"config":{"calculateCost":true,"directlyOpenUrl":false,"displayFilesInDoneText":true,"enablePlanning":true,"extendSystemMessage":"x",
			"fallbackLlm":{"connection":"c2"},"finalResponseAfterFailure":true,"flashMode":false,"generateGif":"run.gif","groundTruth":"42",
			"includeAttributes":["title","aria-label"],"includeRecentEvents":true,"includeToolCallExamples":false,"initialActions":[{"go_to_url":{"url":"https://example.com"}}],
			"llm":{"provider":"openai","model":"gpt-5","apiKey":"k"},"llmScreenshotSize":[1280,800],"llmTimeout":30,"loopDetectionEnabled":true,
			"loopDetectionWindow":5,"maxActionsPerStep":4,"maxClickableElementsLength":40000,"maxFailures":3,"maxHistoryItems":10,"maxSteps":20,
			"messageCompaction":true,"overrideSystemMessage":"y","pageExtractionLlm":{"connection":"c3","model":"m"},"planningExplorationLimit":2,
			"planningReplanOnStall":3,"pricingUrl":"https://example.com/p","saveConversationPath":"/tmp/c","saveConversationPathEncoding":"utf-8",
			"sensitiveData":{"pw":"s3cret","token":{"example.com":"t"}},"source":"mcp","stepTimeout":120,"useJudge":false,"useThinking":true,
			"useVision":"auto","visionDetailLevel":"high"}}`,
	} {
		exact, err := compileFile(ValidationFile(provider))
		if err != nil {
			t.Fatal(err)
		}
		value, err := jsonval.Decode([]byte(call))
		if err != nil {
			t.Fatal(err)
		}
		if problems := exact.Validate(value); len(problems) > 0 {
			t.Fatalf("%s: the sample call is not valid: %s", provider, jsonval.Summary(problems))
		}
		if problems := flat.Validate(value); len(problems) > 0 {
			t.Errorf("%s: the published schema refuses a valid call: %s", provider, jsonval.Summary(problems))
		}
	}
}

// fullInvocation is an invocation with every field the client decodes set.
func fullInvocation() bctrl.Invocation {
	id := "0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c"
	return bctrl.Invocation{
		ID: id, Status: bctrl.StatusFailed, SpaceID: id, RuntimeID: id, RunID: id, RuntimeKind: "browser", ExecutionMode: "durable",
		EntryCall: "agent.execute", SequenceNo: bctrl.Ptr[int64](3), StepCount: bctrl.Ptr[int64](2), ArtifactCount: bctrl.Ptr[int64](1),
		Progress: &bctrl.Progress{Step: 2, TotalSteps: 2, Message: "done", CurrentCall: "agent.execute", LastEventType: "step"},
		Result: &bctrl.InvocationResult{Mode: "fail-fast", OK: false, RuntimeID: id, Steps: []bctrl.Step{
			{Index: 0, Call: "page.goto", OK: true, Result: map[string]any{"url": "https://example.com"},
				Resolved: &bctrl.StepResolved{Call: "page.goto", Method: "goto", Target: "page", RuntimeID: id, ContextID: "c", PageID: "p", HandleID: "h", Ref: "r"},
				Binding:  &bctrl.StepBinding{Alias: "a", ID: "b", Type: "page"}},
			{Index: 1, Call: "agent.execute", OK: false, Error: &bctrl.StepError{Code: "TIMEOUT", Message: "too slow", Hint: "raise the timeout",
				Diagnostic: &bctrl.StepDiagnostic{ID: "d", Call: "agent.execute", Category: "runtime", Code: "x", Closest: []string{"y"}, DocsURL: "https://example.com/d",
					Driver: "cdp", Expected: "e", Received: "r", Fixes: []bctrl.Fix{{Title: "t", Command: "c", Example: "e"}}}}},
		}},
		Error: &bctrl.InvocationError{Code: "invocation.failed", Message: "a step failed", Details: map[string]any{"step": 1}},
		Request: &bctrl.InvocationRecord{IdempotencyKey: "k", Mode: "fail-fast", RuntimeID: id, Steps: []bctrl.RecordStep{
			{Call: "agent.execute", Args: []any{"[redacted]"}, Bind: "b", Ref: "r", Options: &bctrl.RecordStepOptions{DryRun: bctrl.Ptr(false), TimeoutMS: bctrl.Ptr[int64](1000)}},
		}},
		Metadata: map[string]any{"team": "ops"}, Connector: "c", CorrelationID: "corr",
		CreatedAt: "2026-01-01T00:00:00Z", StartedAt: "2026-01-01T00:00:01Z", FinishedAt: "2026-01-01T00:00:09Z",
		LastHeartbeatAt: "2026-01-01T00:00:08Z", CancelRequestedAt: "2026-01-01T00:00:05Z", DurationMS: bctrl.Ptr[int64](8000),
	}
}
