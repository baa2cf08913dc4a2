package bctrlsim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Outcome is how a simulated invocation ends.
type Outcome string

// Outcomes a test can choose; see the package doc for the markers.
const (
	OutcomeSucceeded Outcome = "succeeded"
	OutcomeFailed    Outcome = "failed"
	OutcomeTimedOut  Outcome = "timed_out"
	// OutcomeHang keeps running (with heartbeats) until cancelled.
	OutcomeHang Outcome = "hang"
)

// plan is the scripted life of one invocation, in clock time.
type plan struct {
	outcome Outcome
	steps   int
	step    time.Duration // length of each phase and agent step
}

// defaultSteps is the agent steps of an invocation that asks for none.
const defaultSteps = 5

var markerRE = regexp.MustCompile(`sim:([a-z_]+)(?:=(\d+))?`)

// planFor reads the outcome markers from the instruction and metadata.
func planFor(instruction string, metadata map[string]any, step time.Duration) plan {
	p := plan{outcome: OutcomeSucceeded, steps: defaultSteps, step: step}
	for _, m := range markerRE.FindAllStringSubmatch(instruction, -1) {
		p.apply(m[1], m[2])
	}
	if v, ok := metadata["simOutcome"].(string); ok {
		p.apply(v, "")
	}
	switch v := metadata["simSteps"].(type) {
	case float64:
		p.apply("steps", strconv.Itoa(int(v)))
	case string:
		p.apply("steps", v)
	}
	return p
}

func (p *plan) apply(name, arg string) {
	switch Outcome(name) {
	case OutcomeSucceeded, OutcomeFailed, OutcomeTimedOut, OutcomeHang:
		p.outcome = Outcome(name)
		return
	}
	if name == "steps" {
		if n, err := strconv.Atoi(arg); err == nil && n >= 1 && n <= 1000 {
			p.steps = n
		}
	}
}

// Phase boundaries, as offsets from creation: one step queued, one
// dispatching, then the agent steps, then the end.
func (p plan) dispatchAt() time.Duration { return p.step }
func (p plan) runAt() time.Duration      { return 2 * p.step }
func (p plan) endAt() time.Duration      { return time.Duration(2+p.steps) * p.step }

// stepMessages are what the simulated agent says it is doing, in turn.
var stepMessages = []string{
	"Opening the start page",
	"Reading the page",
	"Filling the login form",
	"Submitting the form",
	"Navigating to the results",
	"Extracting the data",
	"Checking the answer",
}

func stepMessage(step int) string {
	return stepMessages[(step-1)%len(stepMessages)]
}

// resultAnswer is the simulated agent's final answer.
func resultAnswer(instruction string) string {
	clean := strings.TrimSpace(markerRE.ReplaceAllString(instruction, ""))
	if len(clean) > 80 {
		clean = clean[:80]
	}
	return fmt.Sprintf("Done: %s", clean)
}
