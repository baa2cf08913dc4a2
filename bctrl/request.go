package bctrl

// Provider names the agent framework that runs an invocation.
type Provider string

// Providers the API accepts.
const (
	ProviderStagehand  Provider = "stagehand"
	ProviderBrowserUse Provider = "browserUse"
)

// Operation names what an invocation does; the API defines one.
type Operation string

// OperationAgentExecute runs an agent on the instruction; it is the only operation the API defines.
const OperationAgentExecute Operation = "agent.execute"

// CreateInvocationRequest is the body of POST /v1/spaces/{id}/runtimes/{runtimeId}/invocations.
// Config and Options hold the variant that matches Provider.
type CreateInvocationRequest struct {
	Provider       Provider       `json:"provider" jsonschema:"required,enum=stagehand,enum=browserUse,description=Agent framework that runs the work. It decides which config and options fields are allowed."`
	Operation      Operation      `json:"operation,omitempty" jsonschema:"enum=agent.execute,default=agent.execute,description=What to run; agent.execute is the only operation and the default."`
	Input          Input          `json:"input" jsonschema:"required,description=What the agent should do."`
	Config         *Config        `json:"config,omitempty" jsonschema:"description=Provider-specific agent configuration."`
	Options        *Options       `json:"options,omitempty" jsonschema:"description=Provider-specific run options."`
	Files          []File         `json:"files,omitempty" jsonschema:"maxItems=100,description=Files from space storage to make available to the agent."`
	IdempotencyKey string         `json:"idempotencyKey,omitempty" jsonschema:"maxLength=200,description=Key that makes a retried create return the same invocation instead of starting (and billing) a second one. Generated when absent."`
	Metadata       map[string]any `json:"metadata,omitempty" jsonschema:"description=Free-form JSON object stored with the invocation."`
	Target         *Target        `json:"target,omitempty" jsonschema:"description=Where in the runtime the agent acts."`
	ToolsetID      string         `json:"toolsetId,omitempty" jsonschema:"format=uuid,description=Toolset whose custom tools the agent may call."`
}

// Input is the work the agent is asked to do.
type Input struct {
	Instruction string `json:"instruction" jsonschema:"required,minLength=1,maxLength=32768,description=Natural-language task for the browser agent."`
}

// Target says where the agent acts; the API knows only the active browser page.
type Target struct {
	Type string `json:"type" jsonschema:"required,enum=browser_page,description=Kind of target."`
	Page string `json:"page" jsonschema:"required,enum=active,description=Which page."`
}

// File is a file made available to the agent: exactly one of StoragePath or FileID is set.
type File struct {
	StoragePath string `json:"storagePath,omitempty" jsonschema:"description=Path of the file in space storage."`
	FileID      string `json:"fileId,omitempty" jsonschema:"format=uuid,description=Id of a stored file."`
	Name        string `json:"name,omitempty" jsonschema:"description=Name the agent sees."`
}

// ModelRef selects a language model: either a saved AI connection
// (Connection, optional Model) or a provider with an inline key (Provider, Model, APIKey).
type ModelRef struct {
	Connection string `json:"connection,omitempty" jsonschema:"description=Id of a saved AI connection of the space."`
	Model      string `json:"model,omitempty" jsonschema:"description=Model name such as gpt-5 or claude-sonnet-4."`
	Provider   string `json:"provider,omitempty" jsonschema:"enum=openai,enum=anthropic,enum=google,description=Model vendor."`
	APIKey     string `json:"apiKey,omitempty" jsonschema:"description=The vendor API key. Prefer a saved connection."`
}

// Config is the provider-specific config object; exactly one side is set, matching the request's Provider.
type Config struct {
	Stagehand  *StagehandConfig
	BrowserUse *BrowserUseConfig
}

// Options is the provider-specific options object; exactly one side is set, matching the request's Provider.
type Options struct {
	Stagehand  *StagehandOptions
	BrowserUse *BrowserUseOptions
}

// StagehandConfig configures a Stagehand agent.
type StagehandConfig struct {
	ExecutionModel *ModelRef `json:"executionModel,omitempty" jsonschema:"description=Model that executes individual browser actions."`
	Model          *ModelRef `json:"model,omitempty" jsonschema:"description=Model that plans the agent's steps."`
	SystemPrompt   string    `json:"systemPrompt,omitempty" jsonschema:"maxLength=32768,description=Extra system prompt for the agent."`
}

// StagehandOptions tunes a Stagehand run.
type StagehandOptions struct {
	HighlightCursor *bool               `json:"highlightCursor,omitempty" jsonschema:"description=Show the agent's cursor in the live view."`
	MaxSteps        *int                `json:"maxSteps,omitempty" jsonschema:"minimum=1,description=Upper bound on agent steps."`
	Timeout         *float64            `json:"timeout,omitempty" jsonschema:"minimum=0,description=Run timeout in milliseconds."`
	Variables       map[string]Variable `json:"variables,omitempty" jsonschema:"description=Values the instruction can refer to as %name%."`
}

// BrowserUseOptions tunes a browser-use run.
type BrowserUseOptions struct {
	MaxSteps *int `json:"maxSteps,omitempty" jsonschema:"minimum=1,description=Upper bound on agent steps."`
}

// BrowserUseConfig configures a browser-use agent; the fields mirror browser-use's Agent settings.
type BrowserUseConfig struct {
	CalculateCost                *bool                     `json:"calculateCost,omitempty" jsonschema:"description=Track token cost."`
	DirectlyOpenURL              *bool                     `json:"directlyOpenUrl,omitempty" jsonschema:"description=Open a URL found in the task directly."`
	DisplayFilesInDoneText       *bool                     `json:"displayFilesInDoneText,omitempty" jsonschema:"description=List produced files in the final text."`
	EnablePlanning               *bool                     `json:"enablePlanning,omitempty" jsonschema:"description=Let the agent plan before acting."`
	ExtendSystemMessage          string                    `json:"extendSystemMessage,omitempty" jsonschema:"description=Text appended to the system message."`
	FallbackLLM                  *ModelRef                 `json:"fallbackLlm,omitempty" jsonschema:"description=Model used when the main model fails."`
	FinalResponseAfterFailure    *bool                     `json:"finalResponseAfterFailure,omitempty" jsonschema:"description=Produce a final answer after the failure limit."`
	FlashMode                    *bool                     `json:"flashMode,omitempty" jsonschema:"description=Fast mode with less reasoning."`
	GenerateGIF                  *GenerateGIF              `json:"generateGif,omitempty" jsonschema:"description=Record a GIF: true or a file path."`
	GroundTruth                  string                    `json:"groundTruth,omitempty" jsonschema:"description=Expected answer used by the judge."`
	IncludeAttributes            []string                  `json:"includeAttributes,omitempty" jsonschema:"maxItems=200,description=HTML attributes shown to the model."`
	IncludeRecentEvents          *bool                     `json:"includeRecentEvents,omitempty" jsonschema:"description=Show recent browser events to the model."`
	IncludeToolCallExamples      *bool                     `json:"includeToolCallExamples,omitempty" jsonschema:"description=Add tool-call examples to the prompt."`
	InitialActions               []any                     `json:"initialActions,omitempty" jsonschema:"maxItems=100,description=Actions run before the agent starts."`
	LLM                          *ModelRef                 `json:"llm,omitempty" jsonschema:"description=Main model of the agent."`
	LLMScreenshotSize            []any                     `json:"llmScreenshotSize,omitempty" jsonschema:"maxItems=2,description=Screenshot size sent to the model as [width height]."`
	LLMTimeout                   *float64                  `json:"llmTimeout,omitempty" jsonschema:"minimum=0,description=Model call timeout in seconds."`
	LoopDetectionEnabled         *bool                     `json:"loopDetectionEnabled,omitempty" jsonschema:"description=Detect and break action loops."`
	LoopDetectionWindow          *int                      `json:"loopDetectionWindow,omitempty" jsonschema:"minimum=1,description=Steps considered by loop detection."`
	MaxActionsPerStep            *int                      `json:"maxActionsPerStep,omitempty" jsonschema:"minimum=1,description=Actions the model may take in one step."`
	MaxClickableElementsLength   *int                      `json:"maxClickableElementsLength,omitempty" jsonschema:"minimum=0,description=Character budget for the clickable-elements list."`
	MaxFailures                  *int                      `json:"maxFailures,omitempty" jsonschema:"minimum=0,description=Consecutive failures before giving up."`
	MaxHistoryItems              *int                      `json:"maxHistoryItems,omitempty" jsonschema:"minimum=0,description=History items kept in the prompt; omit for all."`
	MaxSteps                     *int                      `json:"maxSteps,omitempty" jsonschema:"minimum=1,description=Upper bound on agent steps."`
	MessageCompaction            *bool                     `json:"messageCompaction,omitempty" jsonschema:"description=Compact old messages."`
	OverrideSystemMessage        string                    `json:"overrideSystemMessage,omitempty" jsonschema:"description=Replace the system message."`
	PageExtractionLLM            *ModelRef                 `json:"pageExtractionLlm,omitempty" jsonschema:"description=Model used to extract page content."`
	PlanningExplorationLimit     *int                      `json:"planningExplorationLimit,omitempty" jsonschema:"minimum=0,description=Exploration steps allowed while planning."`
	PlanningReplanOnStall        *int                      `json:"planningReplanOnStall,omitempty" jsonschema:"minimum=0,description=Stalled steps before replanning."`
	PricingURL                   string                    `json:"pricingUrl,omitempty" jsonschema:"description=Where cost calculation reads prices."`
	SaveConversationPath         string                    `json:"saveConversationPath,omitempty" jsonschema:"description=Runtime path to save the conversation to."`
	SaveConversationPathEncoding string                    `json:"saveConversationPathEncoding,omitempty" jsonschema:"description=Encoding of the saved conversation."`
	SensitiveData                map[string]SensitiveValue `json:"sensitiveData,omitempty" jsonschema:"description=Secrets the agent may type without the model seeing them: name to value or to a map of domain to value."`
	Source                       string                    `json:"source,omitempty" jsonschema:"description=Label of where the run came from."`
	StepTimeout                  *float64                  `json:"stepTimeout,omitempty" jsonschema:"minimum=0,description=Step timeout in seconds."`
	UseJudge                     *bool                     `json:"useJudge,omitempty" jsonschema:"description=Let a judge model grade the result."`
	UseThinking                  *bool                     `json:"useThinking,omitempty" jsonschema:"description=Let the model think before acting."`
	UseVision                    *UseVision                `json:"useVision,omitempty" jsonschema:"description=Send screenshots to the model: true or false or auto."`
	VisionDetailLevel            string                    `json:"visionDetailLevel,omitempty" jsonschema:"enum=low,enum=high,enum=auto,description=Screenshot detail level."`
}

// Ptr returns a pointer to v, for the optional fields of the request types.
func Ptr[T any](v T) *T { return &v }
