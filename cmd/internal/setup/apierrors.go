package setup

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/bctrlhq/bctrl-mcp/bctrl"
)

// explain turns a failed API call into what went wrong and how to fix it.
func explain(err error, baseURL string) (problem, fix string) {
	var apiErr *bctrl.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized:
		return fmt.Sprintf("%s refused the API key (401%s)", baseURL, codeOf(apiErr)),
			"use a current key from the bctrl dashboard in BCTRL_API_KEY (and check BCTRL_BASE_URL points at the right API)"
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden:
		return fmt.Sprintf("the API key is valid but not allowed to do this (403%s)", codeOf(apiErr)),
			"use a key of the organization or subaccount that owns your spaces"
	case errors.As(err, &apiErr):
		return fmt.Sprintf("bctrl answered %d%s", apiErr.StatusCode, codeOf(apiErr)), "try again in a minute; if it persists, contact bctrl support with the request id"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("%s did not answer in time", baseURL), "check your network, proxy or BCTRL_BASE_URL"
	}
	return fmt.Sprintf("could not reach %s (%v)", baseURL, err), "check your network, proxy or BCTRL_BASE_URL"
}

func codeOf(e *bctrl.APIError) string {
	s := ""
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RequestID != "" {
		s += ", request " + e.RequestID
	}
	return s
}
