package setup

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// picker chooses among listed ids: the flag's value when given, the only
// one when there is one, the person's answer when stdin is a terminal, and
// otherwise an error that says which flag to pass. It never reads stdin
// when not interactive.
type picker struct {
	in          *bufio.Reader
	out         io.Writer
	interactive bool
}

// maxAttempts bounds how often a bad answer is asked again.
const maxAttempts = 3

// pick returns the chosen id's index and how it was chosen, or -1 for
// "none" when allowNone.
func (p *picker) pick(what, flag, given string, ids []string, allowNone bool) (int, string, error) {
	if given != "" {
		for i, id := range ids {
			if id == given {
				return i, "from " + flag, nil
			}
		}
		return 0, "", fmt.Errorf("%s %q is not among the %d listed above; pass one of their ids with %s", what, given, len(ids), flag)
	}
	switch {
	case len(ids) == 1:
		return 0, "the only one", nil
	case len(ids) == 0 && allowNone:
		return -1, "", nil
	case !p.interactive:
		return 0, "", fmt.Errorf("there are %d %ss and stdin is not a terminal: pass %s with one of the ids above", len(ids), what, flag)
	}
	prompt := fmt.Sprintf("Pick a %s [1-%d]: ", what, len(ids))
	if allowNone {
		prompt = fmt.Sprintf("Pick a %s [1-%d, or 0 for no default]: ", what, len(ids))
	}
	for range maxAttempts {
		fmt.Fprint(p.out, prompt)
		line, err := p.in.ReadString('\n')
		answer := strings.TrimSpace(line)
		if err != nil && answer == "" {
			if errors.Is(err, io.EOF) {
				return 0, "", fmt.Errorf("no %s chosen (input ended); pass %s", what, flag)
			}
			return 0, "", err
		}
		n, convErr := strconv.Atoi(answer)
		switch {
		case convErr == nil && n >= 1 && n <= len(ids):
			return n - 1, "your choice", nil
		case convErr == nil && n == 0 && allowNone:
			return -1, "your choice", nil
		}
		fmt.Fprintf(p.out, "%q is not a number from the list.\n", answer)
	}
	return 0, "", fmt.Errorf("no %s chosen after %d tries; pass %s", what, maxAttempts, flag)
}

// runtimeState is the state column of the runtime list.
func runtimeState(r bctrl.Runtime) string {
	state := r.Status
	if state == "" {
		state = "state unknown"
	}
	if r.ActiveRunID != "" {
		state += ", run active"
	}
	return state
}

// nameOr shows a name, or a placeholder when the API gave none.
func nameOr(name string) string {
	if name == "" {
		return "(unnamed)"
	}
	return name
}
