package setup

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// ServerName is the key of bctrl-mcp's entry in every client config.
const ServerName = "bctrl"

// Env is the part of the machine setup and doctor look at. The command
// fills it from the real environment; tests point it at a temporary folder.
type Env struct {
	// GOOS picks the Claude Desktop config path (darwin, windows, else Linux).
	GOOS string
	// Home is the user's home folder.
	Home string
	// AppData is %APPDATA% on Windows.
	AppData string
	// XDGConfigHome is $XDG_CONFIG_HOME on Linux; empty means ~/.config.
	XDGConfigHome string
	// WorkDir is the project folder for project configs (.mcp.json, .vscode/mcp.json).
	WorkDir string
	// Getenv reads the environment doctor resolves ${BCTRL_API_KEY} from.
	Getenv func(string) string
}

// keyPlacement says where a client's config takes the key from.
type keyPlacement int

const (
	// keyInFile: the client can only pass a literal key, so it is written into the file.
	keyInFile keyPlacement = iota
	// keyFromEnv: the file names an environment variable the client expands.
	keyFromEnv
	// keyFromPrompt: the client asks for the key and keeps it in its own secret store.
	keyFromPrompt
)

// client describes one supported MCP client.
type client struct {
	name, title string
	// serversKey is the top-level key that holds the servers.
	serversKey string
	// stdioType is the "type" value the client wants on a stdio entry, if any.
	stdioType string
	key       keyPlacement
	// keyRef is the value written for BCTRL_API_KEY when the key stays out of the file.
	keyRef string
	path   func(Env) (string, error)
	// keyNote tells the person where the key lives, after writing.
	keyNote string
}

// vscodeInputID is the id of the VS Code input that asks for the key.
const vscodeInputID = "bctrl-api-key"

var clients = []client{
	{
		name: "claude-desktop", title: "Claude Desktop", serversKey: "mcpServers", key: keyInFile,
		path: claudeDesktopPath,
		keyNote: "The API key is written into this file (readable only by you): Claude Desktop passes a server " +
			"only what its config holds. To keep the key in the OS keychain instead, install the bctrl-mcp .mcpb extension (README, Install).",
	},
	{
		name: "claude-code", title: "Claude Code", serversKey: "mcpServers", stdioType: "stdio", key: keyFromEnv, keyRef: "${BCTRL_API_KEY}",
		path: func(e Env) (string, error) { return projectPath(e, ".mcp.json") },
		keyNote: "The key is not in the file: .mcp.json says ${BCTRL_API_KEY}, which Claude Code expands from its environment. " +
			"Export BCTRL_API_KEY in the shell you start claude from.",
	},
	{
		name: "cursor", title: "Cursor", serversKey: "mcpServers", key: keyFromEnv, keyRef: "${env:BCTRL_API_KEY}",
		path: func(e Env) (string, error) { return homePath(e, ".cursor", "mcp.json") },
		keyNote: "The key is not in the file: mcp.json says ${env:BCTRL_API_KEY}, which Cursor expands from its own environment. " +
			"Export BCTRL_API_KEY and start Cursor from that shell (cursor .), or set it where your desktop session reads variables.",
	},
	{
		name: "vscode", title: "VS Code", serversKey: "servers", stdioType: "stdio", key: keyFromPrompt, keyRef: "${input:" + vscodeInputID + "}",
		path:    func(e Env) (string, error) { return projectPath(e, ".vscode", "mcp.json") },
		keyNote: "The key is not in the file: VS Code asks for it (input " + vscodeInputID + ") the first time it starts the server and keeps it in its secret storage.",
	},
}

// ClientNames lists the values --client accepts.
func ClientNames() []string {
	names := make([]string, len(clients))
	for i, c := range clients {
		names[i] = c.name
	}
	sort.Strings(names)
	return names
}

func lookupClient(name string) (client, error) {
	for _, c := range clients {
		if c.name == name {
			return c, nil
		}
	}
	if name == "" {
		return client{}, fmt.Errorf("--client is required: one of %s", strings.Join(ClientNames(), ", "))
	}
	return client{}, fmt.Errorf("unknown client %q: use one of %s", name, strings.Join(ClientNames(), ", "))
}

func claudeDesktopPath(e Env) (string, error) {
	switch e.GOOS {
	case "darwin":
		return homePath(e, "Library", "Application Support", "Claude", "claude_desktop_config.json")
	case "windows":
		if e.AppData == "" {
			return "", errors.New("APPDATA is not set, so the Claude Desktop config folder is unknown")
		}
		return filepath.Join(e.AppData, "Claude", "claude_desktop_config.json"), nil
	}
	if e.XDGConfigHome != "" {
		return filepath.Join(e.XDGConfigHome, "Claude", "claude_desktop_config.json"), nil
	}
	return homePath(e, ".config", "Claude", "claude_desktop_config.json")
}

func homePath(e Env, parts ...string) (string, error) {
	if e.Home == "" {
		return "", errors.New("the home folder is unknown (HOME is not set)")
	}
	return filepath.Join(append([]string{e.Home}, parts...)...), nil
}

func projectPath(e Env, parts ...string) (string, error) {
	if e.WorkDir == "" {
		return "", errors.New("the current folder is unknown")
	}
	return filepath.Join(append([]string{e.WorkDir}, parts...)...), nil
}

// entry is bctrl-mcp's server entry in a client config.
type entry struct {
	Type    string            `json:"type,omitempty"`
	Command string            `json:"command"`
	Args    []string          `json:"args"`
	Env     map[string]string `json:"env"`
}

// settings are the values setup writes.
type settings struct {
	command, apiKey, baseURL, spaceID, runtimeID string
}

// entryFor builds the client's entry: the key literal or a reference, the
// base URL only when it is not the default, defaults only when chosen.
func (c client) entryFor(s settings) entry {
	env := map[string]string{"BCTRL_API_KEY": s.apiKey}
	if c.key != keyInFile {
		env["BCTRL_API_KEY"] = c.keyRef
	}
	if s.baseURL != "" {
		env["BCTRL_BASE_URL"] = s.baseURL
	}
	if s.spaceID != "" {
		env["BCTRL_SPACE_ID"] = s.spaceID
	}
	if s.runtimeID != "" {
		env["BCTRL_RUNTIME_ID"] = s.runtimeID
	}
	return entry{Type: c.stdioType, Command: s.command, Args: []string{}, Env: env}
}

// vscodeInput is the promptString input VS Code shows for the key.
func vscodeInput() map[string]any {
	return map[string]any{"type": "promptString", "id": vscodeInputID, "description": "bctrl API key", "password": true}
}
