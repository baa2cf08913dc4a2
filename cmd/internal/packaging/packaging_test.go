package main

import (
	"archive/zip"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bctrlhq/bctrl-mcp/cmd/internal/visibleskip"
	"go.yaml.in/yaml/v3"
)

// root is the repository root, seen from this package's folder.
const root = "../../.."

func readRoot(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func decodeMap(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func fakeHashes(version string) map[string]string {
	h := map[string]string{}
	for i, p := range platforms {
		h[bundleName(version, p)] = strings.Repeat(fmt.Sprintf("%x", i+10), 64)
	}
	return h
}

func TestCheckedInServerJSONIsValid(t *testing.T) {
	data := readRoot(t, serverJSONPath)
	if err := validateServerJSON(data); err != nil {
		t.Fatal(err)
	}
	m := decodeMap(t, data)
	if m["$schema"] != "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json" {
		t.Errorf("$schema %v does not match the vendored schema's $id", m["$schema"])
	}
	schemaID := decodeMap(t, registrySchema)["$id"]
	if m["$schema"] != schemaID {
		t.Errorf("$schema %v, vendored schema is %v", m["$schema"], schemaID)
	}
	if m["name"] != "io.github.bctrlhq/bctrl-mcp" || m["version"] != placeholderVersion || len(m["description"].(string)) > 100 {
		t.Errorf("name %v, version %v, description %q", m["name"], m["version"], m["description"])
	}
	var bundles []string
	oci := false
	for _, p := range m["packages"].([]any) {
		pkg := p.(map[string]any)
		switch pkg["registryType"] {
		case "mcpb":
			bundles = append(bundles, filepath.Base(pkg["identifier"].(string)))
		case "oci":
			oci = pkg["identifier"] == "ghcr.io/bctrlhq/bctrl-mcp:"+placeholderVersion
		}
		secret := false
		for _, e := range pkg["environmentVariables"].([]any) {
			ev := e.(map[string]any)
			if ev["name"] == "BCTRL_API_KEY" {
				secret = ev["isSecret"] == true && ev["isRequired"] == true
			}
		}
		if !secret {
			t.Errorf("%v: BCTRL_API_KEY is not a required secret", pkg["identifier"])
		}
	}
	var want []string
	for _, p := range platforms {
		want = append(want, bundleName(placeholderVersion, p))
	}
	if strings.Join(bundles, ",") != strings.Join(want, ",") || !oci {
		t.Errorf("bundles %v (want %v), oci image %v", bundles, want, oci)
	}
}

// TestRegistrySchemaCatchesMistakes shows the validation is not vacuous.
func TestRegistrySchemaCatchesMistakes(t *testing.T) {
	for name, edit := range map[string]func(m map[string]any){
		"description over 100": func(m map[string]any) { m["description"] = strings.Repeat("x", 101) },
		"name without slash":   func(m map[string]any) { m["name"] = "bctrl-mcp" },
		"bad hash": func(m map[string]any) {
			m["packages"].([]any)[0].(map[string]any)["fileSha256"] = "abc"
		},
		"no transport": func(m map[string]any) { delete(m["packages"].([]any)[0].(map[string]any), "transport") },
		"version latest": func(m map[string]any) {
			m["packages"].([]any)[0].(map[string]any)["version"] = "latest"
		},
	} {
		t.Run(name, func(t *testing.T) {
			m := decodeMap(t, readRoot(t, serverJSONPath))
			edit(m)
			data, _ := json.Marshal(m)
			if err := validateServerJSON(data); err == nil {
				t.Error("accepted")
			}
		})
	}
}

func TestRenderedServerJSONIsValid(t *testing.T) {
	hashes := fakeHashes("1.2.3")
	out, err := renderServerJSON(readRoot(t, serverJSONPath), "1.2.3", hashes)
	if err != nil {
		t.Fatal(err)
	}
	if err := validateServerJSON(out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), placeholderVersion) || strings.Contains(string(out), strings.Repeat("0", 64)) {
		t.Errorf("placeholders left:\n%s", out)
	}
	m := decodeMap(t, out)
	if m["version"] != "1.2.3" {
		t.Errorf("version %v", m["version"])
	}
	for _, p := range m["packages"].([]any) {
		pkg := p.(map[string]any)
		id := pkg["identifier"].(string)
		switch pkg["registryType"] {
		case "mcpb":
			if !strings.HasPrefix(id, "https://github.com/bctrlhq/bctrl-mcp/releases/download/v1.2.3/bctrl-mcp_1.2.3_") || pkg["fileSha256"] != hashes[filepath.Base(id)] || pkg["version"] != "1.2.3" {
				t.Errorf("bundle package %v", pkg)
			}
		case "oci":
			if id != "ghcr.io/bctrlhq/bctrl-mcp:1.2.3" {
				t.Errorf("image %v", id)
			}
		}
	}
}

func TestRenderServerJSONRefusesMismatches(t *testing.T) {
	checkedIn := readRoot(t, serverJSONPath)
	missing := fakeHashes("1.2.3")
	delete(missing, bundleName("1.2.3", platforms[0]))
	extra := fakeHashes("1.2.3")
	extra["bctrl-mcp_1.2.3_plan9_386.mcpb"] = strings.Repeat("a", 64)
	for name, tt := range map[string]struct {
		version string
		hashes  map[string]string
	}{
		"a bundle not built":  {"1.2.3", missing},
		"a bundle not listed": {"1.2.3", extra},
		"bad version":         {"v1.2", fakeHashes("v1.2")},
		"placeholder version": {"latest", fakeHashes("latest")},
	} {
		if _, err := renderServerJSON(checkedIn, tt.version, tt.hashes); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestCheckedInManifest(t *testing.T) {
	m := decodeMap(t, readRoot(t, manifestPath))
	if m["version"] != placeholderVersion || m["license"] != "Apache-2.0" || m["manifest_version"] != "0.2" {
		t.Errorf("version %v, license %v, manifest_version %v", m["version"], m["license"], m["manifest_version"])
	}
	server := m["server"].(map[string]any)
	config := server["mcp_config"].(map[string]any)
	if server["type"] != "binary" || server["entry_point"] != "server/bctrl-mcp" || config["command"] != "${__dirname}/server/bctrl-mcp" {
		t.Errorf("server %v", server)
	}
	if win := config["platform_overrides"].(map[string]any)["win32"].(map[string]any); win["command"] != "${__dirname}/server/bctrl-mcp.exe" {
		t.Errorf("win32 override %v", win)
	}
	userConfig := m["user_config"].(map[string]any)
	key := userConfig["api_key"].(map[string]any)
	if key["sensitive"] != true || key["required"] != true {
		t.Errorf("api_key %v: must be sensitive (keychain) and required", key)
	}
	for _, opt := range []string{"space_id", "runtime_id", "read_only"} {
		if o, ok := userConfig[opt].(map[string]any); !ok || o["required"] != false {
			t.Errorf("%s: %v, want optional", opt, userConfig[opt])
		}
	}
	refs := envRefs(config["env"].(map[string]any))
	for _, r := range refs {
		if userConfig[r] == nil {
			t.Errorf("env refers to user_config.%s, which does not exist", r)
		}
	}
	if len(refs) != len(userConfig) {
		t.Errorf("env uses %v of %d user_config entries", refs, len(userConfig))
	}
	var tools []string
	for _, tool := range m["tools"].([]any) {
		tools = append(tools, tool.(map[string]any)["name"].(string))
	}
	if strings.Join(tools, ",") != "create_invocation,get_invocation,cancel_invocation" {
		t.Errorf("tools %v", tools)
	}
}

func TestRenderManifestNarrowsToOnePlatform(t *testing.T) {
	for _, tt := range []struct{ goos, plat, bin string }{{"darwin", "darwin", "bctrl-mcp"}, {"linux", "linux", "bctrl-mcp"}, {"windows", "win32", "bctrl-mcp.exe"}} {
		out, err := renderManifest(readRoot(t, manifestPath), "1.2.3", tt.goos)
		if err != nil {
			t.Fatal(err)
		}
		m := decodeMap(t, out)
		server := m["server"].(map[string]any)
		config := server["mcp_config"].(map[string]any)
		platforms := m["compatibility"].(map[string]any)["platforms"].([]any)
		if m["version"] != "1.2.3" || len(platforms) != 1 || platforms[0] != tt.plat || server["entry_point"] != "server/"+tt.bin ||
			config["command"] != "${__dirname}/server/"+tt.bin || config["platform_overrides"] != nil {
			t.Errorf("%s: %s", tt.goos, out)
		}
	}
	if _, err := renderManifest(readRoot(t, manifestPath), "1.2", "linux"); err == nil {
		t.Error("bad version accepted")
	}
}

// TestBundleValidatesAndPacks runs the official mcpb CLI: validate the
// checked-in manifest, then stage, validate and pack a bundle for this
// machine with the static binary, and run the binary from the bundle.
func TestBundleValidatesAndPacks(t *testing.T) {
	if _, err := mcpbCLI(root); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		visibleskip.Skip(t, "mcpb CLI not installed: run npm ci --prefix cmd/internal/packaging")
	}
	if _, err := runMCPB(t.Context(), root, "validate", filepath.Join(root, manifestPath)); err != nil {
		t.Fatalf("checked-in manifest: %v", err)
	}
	bin := filepath.Join(t.TempDir(), binaryName(runtime.GOOS))
	build := exec.CommandContext(t.Context(), "go", "build", "-trimpath", "-ldflags", "-s -w -X main.buildVersion=v1.2.3", "-o", bin, "./cmd/bctrl-mcp")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if runtime.GOOS == "linux" {
		assertStatic(t, bin)
	}
	out := t.TempDir()
	path, err := packBundle(t.Context(), root, bin, "1.2.3", platform{runtime.GOOS, runtime.GOARCH}, out)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != bundleName("1.2.3", platform{runtime.GOOS, runtime.GOARCH}) {
		t.Errorf("bundle %s", path)
	}
	extracted := unzipBundle(t, path)
	m := decodeMap(t, readFile(t, filepath.Join(extracted, "manifest.json")))
	if m["version"] != "1.2.3" {
		t.Errorf("bundle manifest version %v", m["version"])
	}
	if _, err := os.Stat(filepath.Join(extracted, "LICENSE")); err != nil {
		t.Error("the bundle has no LICENSE")
	}
	got, err := exec.CommandContext(t.Context(), filepath.Join(extracted, "server", binaryName(runtime.GOOS)), "version").Output()
	if err != nil || strings.TrimSpace(string(got)) != "bctrl-mcp v1.2.3" {
		t.Errorf("the bundled binary answered %q, %v", got, err)
	}
}

// assertStatic fails when a Linux binary asks for a dynamic loader.
func assertStatic(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s is dynamically linked; build with CGO_ENABLED=0", path)
		}
	}
}

// unzipBundle extracts a bundle, keeping file modes, and returns the folder.
func unzipBundle(t *testing.T, path string) string {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dir := t.TempDir()
	for _, f := range r.File {
		target := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(target, dir+string(filepath.Separator)) {
			t.Fatalf("bundle entry %q escapes the folder", f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		data := readEntry(t, f)
		mode := f.Mode().Perm()
		if strings.HasPrefix(f.Name, "server/") && runtime.GOOS != "windows" && mode&0o100 == 0 {
			t.Errorf("%s is not executable in the bundle (mode %v)", f.Name, mode)
		}
		if err := os.WriteFile(target, data, mode|0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readEntry(t *testing.T, f *zip.File) []byte {
	t.Helper()
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestModuleIsGoInstallable(t *testing.T) {
	gomod := string(readRoot(t, "go.mod"))
	if first, _, _ := strings.Cut(gomod, "\n"); first != "module github.com/bctrlhq/bctrl-mcp" {
		t.Errorf("go.mod starts with %q: go install github.com/bctrlhq/bctrl-mcp/cmd/bctrl-mcp@latest needs that module path", first)
	}
	for _, line := range strings.Split(gomod, "\n") {
		if f := strings.Fields(line); len(f) > 0 && (f[0] == "replace" || f[0] == "exclude") {
			t.Errorf("go.mod has %q: go install ...@latest refuses modules with replace or exclude directives", line)
		}
	}
	license := string(readRoot(t, licensePath))
	if !strings.Contains(license, "Apache License") || !strings.Contains(license, "Version 2.0, January 2004") || !strings.Contains(license, "END OF TERMS AND CONDITIONS") {
		t.Error("LICENSE is not the full Apache-2.0 text")
	}
}

// TestGoReleaserConfigMatchesThePackaging keeps .ci/goreleaser.yaml and this
// tool in step: the same five targets, static and reproducible flags, the
// version in the binary, a bundle per target, checksums over the bundles.
func TestGoReleaserConfigMatchesThePackaging(t *testing.T) {
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main         string   `yaml:"main"`
			Env          []string `yaml:"env"`
			Flags        []string `yaml:"flags"`
			Ldflags      []string `yaml:"ldflags"`
			ModTimestamp string   `yaml:"mod_timestamp"`
			Targets      []string `yaml:"targets"`
			Hooks        struct {
				Post []struct {
					Cmd string `yaml:"cmd"`
				} `yaml:"post"`
			} `yaml:"hooks"`
		} `yaml:"builds"`
		Archives []struct {
			Files []string `yaml:"files"`
		} `yaml:"archives"`
		Checksum struct {
			Algorithm  string `yaml:"algorithm"`
			ExtraFiles []struct {
				Glob string `yaml:"glob"`
			} `yaml:"extra_files"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(readRoot(t, ".ci/goreleaser.yaml"), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf("config %+v", cfg)
	}
	b := cfg.Builds[0]
	var targets []string
	for _, tgt := range b.Targets {
		parts := strings.SplitN(tgt, "_", 3)
		targets = append(targets, parts[0]+"/"+parts[1])
	}
	var want []string
	for _, p := range platforms {
		want = append(want, p.goos+"/"+p.goarch)
	}
	if strings.Join(targets, ",") != strings.Join(want, ",") {
		t.Errorf("targets %v, packaging knows %v", targets, want)
	}
	all := strings.Join(append(append(append(b.Env, b.Flags...), b.Ldflags...), b.Main, b.ModTimestamp), " ")
	for _, must := range []string{"CGO_ENABLED=0", "-trimpath", "-X main.buildVersion=v{{ .Version }}", "./cmd/bctrl-mcp", "{{ .CommitTimestamp }}"} {
		if !strings.Contains(all, must) {
			t.Errorf("build lacks %q", must)
		}
	}
	if len(b.Hooks.Post) != 1 || !strings.Contains(b.Hooks.Post[0].Cmd, "./cmd/internal/packaging mcpb") || !strings.Contains(b.Hooks.Post[0].Cmd, "--out dist/mcpb") {
		t.Errorf("post hook %+v does not pack a bundle per target", b.Hooks.Post)
	}
	if cfg.Checksum.Algorithm != "sha256" || len(cfg.Checksum.ExtraFiles) != 1 || cfg.Checksum.ExtraFiles[0].Glob != "./dist/mcpb/*.mcpb" {
		t.Errorf("checksum %+v", cfg.Checksum)
	}
	if !strings.Contains(strings.Join(cfg.Archives[0].Files, ","), "LICENSE") {
		t.Errorf("archives do not carry the LICENSE: %v", cfg.Archives[0].Files)
	}
}

// envRefs lists the user_config keys an mcp_config env refers to.
func envRefs(env map[string]any) []string {
	var keys []string
	for _, v := range env {
		s, _ := v.(string)
		if k, ok := strings.CutPrefix(s, "${user_config."); ok {
			keys = append(keys, strings.TrimSuffix(k, "}"))
		}
	}
	return keys
}
