package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// k8sObject is the part of a Kubernetes object the checks read.
type k8sObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		Replicas *int `yaml:"replicas"`
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		Template struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec struct {
				TerminationGracePeriodSeconds int `yaml:"terminationGracePeriodSeconds"`
				SecurityContext               struct {
					RunAsNonRoot bool `yaml:"runAsNonRoot"`
				} `yaml:"securityContext"`
				Containers []k8sContainer `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
		// Service
		ServiceSelector map[string]string `yaml:"-"`
		Ports           []struct {
			Port       int    `yaml:"port"`
			TargetPort string `yaml:"targetPort"`
		} `yaml:"ports"`
	} `yaml:"spec"`
}

type k8sContainer struct {
	Image string   `yaml:"image"`
	Args  []string `yaml:"args"`
	Env   []struct {
		Name      string         `yaml:"name"`
		Value     *string        `yaml:"value"`
		ValueFrom map[string]any `yaml:"valueFrom"`
	} `yaml:"env"`
	Ports []struct {
		Name          string `yaml:"name"`
		ContainerPort int    `yaml:"containerPort"`
	} `yaml:"ports"`
	LivenessProbe  k8sProbe `yaml:"livenessProbe"`
	ReadinessProbe k8sProbe `yaml:"readinessProbe"`
}

type k8sProbe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
}

// TestKubernetesExample parses kubernetes.yaml and checks what a team
// deployment needs: two replicas, health probes on the server's endpoints,
// non-root, secrets only from a Secret, a Service that selects the pods,
// and server arguments the binary itself accepts.
func TestKubernetesExample(t *testing.T) {
	raw, err := os.ReadFile("kubernetes.yaml")
	if err != nil {
		t.Fatal(err)
	}
	objects := map[string]k8sObject{}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	for {
		var node yaml.Node
		if err := dec.Decode(&node); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("kubernetes.yaml: %v", err)
		}
		var o k8sObject
		if err := node.Decode(&o); err != nil {
			t.Fatal(err)
		}
		var generic struct {
			Spec struct {
				Selector map[string]string `yaml:"selector"`
			} `yaml:"spec"`
		}
		_ = node.Decode(&generic)
		o.Spec.ServiceSelector = generic.Spec.Selector
		objects[o.Kind] = o
	}
	d, ok := objects["Deployment"]
	if !ok {
		t.Fatal("no Deployment")
	}
	s, ok := objects["Service"]
	if !ok {
		t.Fatal("no Service")
	}
	pod := d.Spec.Template
	if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
		t.Error("replicas is not 2: one replica is no test of scaling out, and no rolling update without downtime")
	}
	if !mapsContain(pod.Metadata.Labels, d.Spec.Selector.MatchLabels) || !mapsContain(pod.Metadata.Labels, s.Spec.ServiceSelector) || len(s.Spec.ServiceSelector) == 0 {
		t.Errorf("selectors %v / %v do not match the pod labels %v", d.Spec.Selector.MatchLabels, s.Spec.ServiceSelector, pod.Metadata.Labels)
	}
	if !pod.Spec.SecurityContext.RunAsNonRoot {
		t.Error("the pod may run as root")
	}
	if g := pod.Spec.TerminationGracePeriodSeconds; g < 11 {
		t.Errorf("terminationGracePeriodSeconds %d leaves no room for the server's 10 s drain", g)
	}
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	portName := ""
	if len(c.Ports) == 1 && c.Ports[0].ContainerPort == 8080 {
		portName = c.Ports[0].Name
	}
	if portName == "" || c.LivenessProbe.HTTPGet.Path != "/healthz" || c.ReadinessProbe.HTTPGet.Path != "/readyz" ||
		c.LivenessProbe.HTTPGet.Port != portName || c.ReadinessProbe.HTTPGet.Port != portName {
		t.Errorf("ports %+v, probes %+v / %+v", c.Ports, c.LivenessProbe, c.ReadinessProbe)
	}
	if len(s.Spec.Ports) != 1 || s.Spec.Ports[0].TargetPort != portName {
		t.Errorf("service ports %+v do not target %q", s.Spec.Ports, portName)
	}
	// The binary must accept the example's arguments and environment, with
	// the secrets filled in; secrets never appear as literal values.
	vars := map[string]string{}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom["secretKeyRef"] != nil:
			vars[e.Name] = "placeholder-secret-0123456789"
		case strings.Contains(e.Name, "KEY") || strings.Contains(e.Name, "TOKEN"):
			t.Errorf("%s is a literal value; it must come from a Secret", e.Name)
		case e.Value != nil:
			vars[e.Name] = *e.Value
		}
	}
	cfg, err := parseConfig(c.Args, io.Discard, env(vars))
	if err != nil {
		t.Fatalf("the binary refuses the example's configuration: %v", err)
	}
	if cfg.http.addr != "0.0.0.0:8080" || cfg.http.auth == authNone || len(cfg.http.allowedOrigins) == 0 {
		t.Errorf("serving %q with auth %q and origins %v", cfg.http.addr, cfg.http.auth, cfg.http.allowedOrigins)
	}
}

func mapsContain(labels, selector map[string]string) bool {
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// TestDockerfile reads the Dockerfile: a static (CGO_ENABLED=0) build of
// this command with the Go of go.mod, a distroless or scratch final stage,
// a non-root user, the registry label, and the binary as entry point.
func TestDockerfile(t *testing.T) {
	raw, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var stages [][]string // instructions per stage, continuation lines joined
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if more, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(more + " ")
			continue
		}
		cur.WriteString(line)
		instr := cur.String()
		cur.Reset()
		if strings.HasPrefix(instr, "FROM ") {
			stages = append(stages, nil)
		}
		if len(stages) == 0 {
			t.Fatalf("instruction before FROM: %s", instr)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], instr)
	}
	if len(stages) < 2 {
		t.Fatalf("%d stages; want a build stage and a minimal final one", len(stages))
	}
	goMod, _ := os.ReadFile("../../go.mod")
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(goMod)
	build, final := strings.Join(stages[0], "\n"), stages[len(stages)-1]
	if goVersion == nil || !strings.HasPrefix(stages[0][0], "FROM golang:"+string(goVersion[1])) {
		t.Errorf("build stage %q does not use the Go of go.mod", stages[0][0])
	}
	if !regexp.MustCompile(`CGO_ENABLED=0 go build .* \./cmd/bctrl-mcp`).MatchString(build) {
		t.Error("the build stage does not build ./cmd/bctrl-mcp statically (CGO_ENABLED=0)")
	}
	if from := final[0]; !strings.HasPrefix(from, "FROM gcr.io/distroless/static") && from != "FROM scratch" {
		t.Errorf("final stage %q is neither distroless static nor scratch", from)
	}
	find := func(prefix string) string {
		for _, i := range final {
			if strings.HasPrefix(i, prefix) {
				return i
			}
		}
		return ""
	}
	if user := strings.Fields(find("USER ") + " x x")[1]; slices.Contains([]string{"root", "0", "0:0", "x"}, user) {
		t.Errorf("the final stage runs as %q", user)
	}
	if !strings.Contains(find("LABEL "), `io.modelcontextprotocol.server.name="io.github.bctrlhq/bctrl-mcp"`) {
		t.Error("no io.modelcontextprotocol.server.name label")
	}
	if find("ENTRYPOINT ") != `ENTRYPOINT ["/bctrl-mcp"]` || !strings.Contains(find("COPY "), "/bctrl-mcp") {
		t.Errorf("entry point %q, copy %q", find("ENTRYPOINT "), find("COPY "))
	}
}
