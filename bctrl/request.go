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
	Provider       Provider       `json:"provider" jsonschema:"required,enum=stagehand,enum=browserUse,description=stagehand: few settings\\, %name% variables. Choose browserUse for secrets hidden from the model\\, vision control\\, planning or fine tuning."`
	Operation      Operation      `json:"operation,omitempty" jsonschema:"enum=agent.execute,default=agent.execute"`
	Input          Input          `json:"input" jsonschema:"required,description=What the agent should do."`
	Config         *Config        `json:"config,omitempty" jsonschema:"description=Stagehand takes executionModel\\, model and systemPrompt; all other fields are browser-use Agent settings. A model is {connection\\, model?} (a saved AI connection; preferred) or {provider (openai\\, anthropic or google)\\, model\\, apiKey}."`
	Options        *Options       `json:"options,omitempty" jsonschema:"description=Run options; browserUse takes only maxSteps."`
	Files          []File         `json:"files,omitempty" jsonschema:"maxItems=100,description=Files from space storage for the agent: each by storagePath or by fileId\\, not both."`
	IdempotencyKey string         `json:"idempotencyKey,omitempty" jsonschema:"maxLength=200,description=Reuse it to retry without starting (and billing) a second invocation. Generated when absent."`
	Metadata       map[string]any `json:"metadata,omitempty" jsonschema:"description=Free-form JSON stored with the invocation."`
	Target         *Target        `json:"target,omitempty" jsonschema:"description=Where the agent acts: only the active browser page."`
	ToolsetID      string         `json:"toolsetId,omitempty" jsonschema:"format=uuid,description=Toolset whose custom tools the agent may call."`
}

// Input is the work the agent is asked to do.
type Input struct {
	Instruction string `json:"instruction" jsonschema:"required,minLength=1,maxLength=32768,description=The task in natural language."`
}

// Target says where the agent acts; the API knows only the active browser page.
type Target struct {
	Type string `json:"type" jsonschema:"required,enum=browser_page"`
	Page string `json:"page" jsonschema:"required,enum=active"`
}

// File is a file made available to the agent: exactly one of StoragePath or FileID is set.
type File struct {
	StoragePath string `json:"storagePath,omitempty"`
	FileID      string `json:"fileId,omitempty" jsonschema:"format=uuid"`
	Name        string `json:"name,omitempty" jsonschema:"description=Name the agent sees."`
}

// ModelRef selects a language model: either a saved AI connection
// (Connection, optional Model) or a provider with an inline key (Provider, Model, APIKey).
type ModelRef struct {
	Connection string `json:"connection,omitempty"`
	Model      string `json:"model,omitempty"`
	Provider   string `json:"provider,omitempty" jsonschema:"enum=openai,enum=anthropic,enum=google"`
	APIKey     string `json:"apiKey,omitempty"`
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
	ExecutionModel *ModelRef `json:"executionModel,omitempty" jsonschema:"description=Model for single browser actions."`
	Model          *ModelRef `json:"model,omitempty" jsonschema:"description=Model that plans the steps."`
	SystemPrompt   string    `json:"systemPrompt,omitempty" jsonschema:"maxLength=32768"`
}

// StagehandOptions tunes a Stagehand run.
type StagehandOptions struct {
	HighlightCursor *bool               `json:"highlightCursor,omitempty" jsonschema:"description=Show the agent's cursor in the live view."`
	MaxSteps        *int                `json:"maxSteps,omitempty" jsonschema:"minimum=1"`
	Timeout         *float64            `json:"timeout,omitempty" jsonschema:"minimum=0"`
	Variables       map[string]Variable `json:"variables,omitempty" jsonschema:"description=Values the instruction can refer to as %name%."`
}

// BrowserUseOptions tunes a browser-use run.
type BrowserUseOptions struct {
	MaxSteps *int `json:"maxSteps,omitempty" jsonschema:"minimum=1"`
}

// BrowserUseConfig configures a browser-use agent; the fields mirror browser-use's Agent settings.
type BrowserUseConfig struct {
	CalculateCost                *bool                     `json:"calculateCost,omitempty"`
	DirectlyOpenURL              *bool                     `json:"directlyOpenUrl,omitempty"`
	DisplayFilesInDoneText       *bool                     `json:"displayFilesInDoneText,omitempty"`
	EnablePlanning               *bool                     `json:"enablePlanning,omitempty"`
	ExtendSystemMessage          string                    `json:"extendSystemMessage,omitempty"`
	FallbackLLM                  *ModelRef                 `json:"fallbackLlm,omitempty" jsonschema:"description=Used when llm fails."`
	FinalResponseAfterFailure    *bool                     `json:"finalResponseAfterFailure,omitempty"`
	FlashMode                    *bool                     `json:"flashMode,omitempty" jsonschema:"description=Fast mode with less reasoning."`
	GenerateGIF                  *GenerateGIF              `json:"generateGif,omitempty" jsonschema:"description=true or a path to write a GIF to."`
	GroundTruth                  string                    `json:"groundTruth,omitempty"`
	IncludeAttributes            []string                  `json:"includeAttributes,omitempty" jsonschema:"maxItems=200"`
	IncludeRecentEvents          *bool                     `json:"includeRecentEvents,omitempty"`
	IncludeToolCallExamples      *bool                     `json:"includeToolCallExamples,omitempty"`
	InitialActions               []any                     `json:"initialActions,omitempty" jsonschema:"maxItems=100"`
	LLM                          *ModelRef                 `json:"llm,omitempty" jsonschema:"description=Main model."`
	LLMScreenshotSize            []any                     `json:"llmScreenshotSize,omitempty" jsonschema:"maxItems=2,description=[width\\, height] of screenshots sent to the model."`
	LLMTimeout                   *float64                  `json:"llmTimeout,omitempty" jsonschema:"minimum=0"`
	LoopDetectionEnabled         *bool                     `json:"loopDetectionEnabled,omitempty"`
	LoopDetectionWindow          *int                      `json:"loopDetectionWindow,omitempty" jsonschema:"minimum=1"`
	MaxActionsPerStep            *int                      `json:"maxActionsPerStep,omitempty" jsonschema:"minimum=1"`
	MaxClickableElementsLength   *int                      `json:"maxClickableElementsLength,omitempty" jsonschema:"minimum=0"`
	MaxFailures                  *int                      `json:"maxFailures,omitempty" jsonschema:"minimum=0"`
	MaxHistoryItems              *int                      `json:"maxHistoryItems,omitempty" jsonschema:"minimum=0"`
	MaxSteps                     *int                      `json:"maxSteps,omitempty" jsonschema:"minimum=1"`
	MessageCompaction            *bool                     `json:"messageCompaction,omitempty"`
	OverrideSystemMessage        string                    `json:"overrideSystemMessage,omitempty"`
	PageExtractionLLM            *ModelRef                 `json:"pageExtractionLlm,omitempty"`
	PlanningExplorationLimit     *int                      `json:"planningExplorationLimit,omitempty" jsonschema:"minimum=0"`
	PlanningReplanOnStall        *int                      `json:"planningReplanOnStall,omitempty" jsonschema:"minimum=0"`
	PricingURL                   string                    `json:"pricingUrl,omitempty"`
	SaveConversationPath         string                    `json:"saveConversationPath,omitempty"`
	SaveConversationPathEncoding string                    `json:"saveConversationPathEncoding,omitempty"`
	SensitiveData                map[string]SensitiveValue `json:"sensitiveData,omitempty" jsonschema:"description=Secrets the agent may type but the model never sees: name to value or to {domain: value}."`
	Source                       string                    `json:"source,omitempty"`
	StepTimeout                  *float64                  `json:"stepTimeout,omitempty" jsonschema:"minimum=0"`
	UseJudge                     *bool                     `json:"useJudge,omitempty"`
	UseThinking                  *bool                     `json:"useThinking,omitempty"`
	UseVision                    *UseVision                `json:"useVision,omitempty" jsonschema:"description=Send screenshots to the model."`
	VisionDetailLevel            string                    `json:"visionDetailLevel,omitempty" jsonschema:"enum=low,enum=high,enum=auto"`
}

// Ptr returns a pointer to v, for the optional fields of the request types.
func Ptr[T any](v T) *T { return &v }
