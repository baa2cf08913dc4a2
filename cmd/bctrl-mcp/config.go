package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
	"github.com/bctrlhq/bctrl-mcp/bctrl/bctrlsim"
	"github.com/bctrlhq/bctrl-mcp/tools"
)

// buildVersion is set with -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion = ""

func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// config is everything the serve command reads from flags and environment.
type config struct {
	apiKey    string
	baseURL   string
	spaceID   string
	runtimeID string
	readOnly  bool
	simulate  bool
	logLevel  slog.Level
	// resultBudget is how many characters a tool result's text may take.
	resultBudget int
	// artifactMaxBytes is the largest artifact a resources/read downloads.
	artifactMaxBytes int64
	http             httpConfig
}

// Bounds of the settings that take sizes.
const (
	minResultBudget     = 1000
	maxResultBudget     = 10_000_000
	minArtifactMaxBytes = 1
	maxArtifactMaxBytes = 1 << 30
)

// parseConfig reads flags over environment defaults and checks them. The
// key comes only from the environment, so it never shows in a process list.
func parseConfig(args []string, stderr io.Writer, getenv func(string) string) (config, error) {
	fs := newFlagSet("bctrl-mcp")
	var cfg config
	var level string
	fs.StringVar(&cfg.baseURL, "base-url", envOr(getenv, "BCTRL_BASE_URL", bctrl.DefaultBaseURL), "API base URL")
	fs.StringVar(&cfg.spaceID, "space-id", getenv("BCTRL_SPACE_ID"), "default space id")
	fs.StringVar(&cfg.runtimeID, "runtime-id", getenv("BCTRL_RUNTIME_ID"), "default runtime id")
	readOnly, err := envBool(getenv, "BCTRL_READ_ONLY")
	if err != nil {
		return cfg, err
	}
	simulate, err := envBool(getenv, "BCTRL_SIMULATE")
	if err != nil {
		return cfg, err
	}
	fs.BoolVar(&cfg.readOnly, "read-only", readOnly, "register only read-only tools")
	fs.BoolVar(&cfg.simulate, "simulate", simulate, "use the built-in simulator")
	fs.StringVar(&level, "log-level", envOr(getenv, "BCTRL_LOG_LEVEL", "info"), "stderr log level")
	budget := fs.String("result-budget", envOr(getenv, "BCTRL_RESULT_BUDGET", strconv.Itoa(tools.DefaultResultBudget)), "characters of a result's text")
	maxBytes := fs.String("artifact-max-bytes", envOr(getenv, "BCTRL_ARTIFACT_MAX_BYTES", strconv.Itoa(tools.DefaultArtifactMaxBytes)), "largest artifact read")
	httpFlags := cfg.http.flags(fs, getenv)
	if err := parseFlags(fs, args, stderr, usage); err != nil {
		return cfg, err
	}
	n, err := sizeSetting("--result-budget / BCTRL_RESULT_BUDGET", *budget, minResultBudget, maxResultBudget, "characters")
	if err != nil {
		return cfg, err
	}
	cfg.resultBudget = int(n)
	if cfg.artifactMaxBytes, err = sizeSetting("--artifact-max-bytes / BCTRL_ARTIFACT_MAX_BYTES", *maxBytes, minArtifactMaxBytes, maxArtifactMaxBytes, "bytes"); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := cfg.logLevel.UnmarshalText([]byte(level)); err != nil {
		return cfg, fmt.Errorf("--log-level / BCTRL_LOG_LEVEL %q: use debug, info, warn or error", level)
	}
	cfg.apiKey = strings.TrimSpace(getenv("BCTRL_API_KEY"))
	if err := httpFlags(); err != nil {
		return cfg, err
	}
	return cfg, cfg.check()
}

// passthrough reports whether each HTTP caller brings its own API key.
func (c config) passthrough() bool {
	return c.http.addr != "" && c.http.auth == authPassthrough
}

// check rejects a configuration the server cannot work with.
func (c *config) check() error {
	if err := c.http.check(c); err != nil {
		return err
	}
	passthrough := c.passthrough()
	switch {
	case c.simulate && passthrough:
		// The simulator takes any key; each call names its own space and runtime.
	case c.simulate:
		c.spaceID = cmp.Or(c.spaceID, bctrlsim.SeedSpaceID)
		c.runtimeID = cmp.Or(c.runtimeID, bctrlsim.SeedRuntimeID)
	case !passthrough && c.apiKey == "":
		return errors.New("BCTRL_API_KEY is not set: put your bctrl API key in the environment of the MCP server (or use --simulate)")
	}
	if !c.simulate {
		if _, err := bctrl.ParseBaseURL(c.baseURL); err != nil {
			return fmt.Errorf("--base-url / BCTRL_BASE_URL: %v", err)
		}
	}
	if strings.ContainsAny(c.apiKey, " \t\r\n") {
		return errors.New("BCTRL_API_KEY contains white space; check how it was pasted")
	}
	// The defaults are optional (PRODUCT.md §3): without them each
	// create_invocation names its spaceId and runtimeId.
	for _, id := range []struct{ name, value string }{{"BCTRL_SPACE_ID / --space-id", c.spaceID}, {"BCTRL_RUNTIME_ID / --runtime-id", c.runtimeID}} {
		if id.value != "" && !bctrl.IsID(id.value) {
			return fmt.Errorf("%s %q is not a uuid (36 characters, such as 5b0c1a2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d)", id.name, id.value)
		}
	}
	return nil
}

// sizeSetting reads a whole number from lo to hi.
func sizeSetting(name, v string, lo, hi int64, unit string) (int64, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s %q: use a whole number of %s from %d to %d", name, v, unit, lo, hi)
	}
	return n, nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(getenv func(string) string, key string) (bool, error) {
	v := strings.TrimSpace(getenv(key))
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q: use true or false", key, v)
	}
	return b, nil
}
