package tools

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/bctrl/jsonval"
	"github.com/bctrlhq/bctrl-mcp/schema"
	"github.com/mark3labs/mcp-go/mcp"
)

var apiRequest = sync.OnceValues(func() (*jsonval.Validator, error) {
	doc, err := bctrlsim.ContractDocument()
	if err != nil {
		return nil, err
	}
	return jsonval.Compile(doc, "/$defs/spaces_runtimesInvocationsCreate_Request")
})

// FuzzCreateArguments feeds arbitrary bytes as create_invocation arguments.
// Decoding must never panic, and whatever it accepts must encode to a body
// the API's own request schema accepts: the tool can never send the API
// something it would reject as malformed.
func FuzzCreateArguments(f *testing.F) {
	for _, seed := range []string{
		`{"provider":"stagehand","input":{"instruction":"x"}}`,
		`{"provider":"browserUse","input":{"instruction":"x"},"config":{"useVision":"auto","generateGif":true,"sensitiveData":{"a":"b","c":{"d":"e"}}},"options":{"maxSteps":3}}`,
		`{"provider":"stagehand","input":{"instruction":"x"},"options":{"variables":{"a":1,"b":{"value":true,"description":"d"}}},"files":[{"fileId":"3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"}]}`,
		`{"provider":"stagehand","input":{"instruction":"x"},"config":{"model":{"provider":"openai","model":"m","apiKey":"k"}},"metadata":{"a":[1,{"b":null}]}}`,
		`[]`, `null`, `{"provider":1}`, `{"input":{"instruction":"\u0000"}}`,
	} {
		f.Add([]byte(seed))
	}
	ts := &toolset{}
	ts.validator = schema.NewValidator()
	contract, err := apiRequest()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req := mcp.CallToolRequest{}
		req.Params.RawArguments = data
		var in schema.CreateInvocationInput
		if bad := ts.decodeArgs(schema.ToolCreate, req, &in); bad != nil {
			if !bad.IsError {
				t.Fatal("a rejection that is not an isError result")
			}
			return
		}
		body := in.CreateInvocationRequest
		body.Operation = "agent.execute"
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatalf("accepted arguments do not encode: %v", err)
		}
		value, _ := jsonval.Decode(raw)
		if problems := contract.Validate(value); len(problems) > 0 {
			t.Fatalf("accepted %s but sent %s, which the API rejects: %s", data, raw, jsonval.Summary(problems))
		}
	})
}
