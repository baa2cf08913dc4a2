package streamablehttp

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
)

// AuthMode says how callers prove who they are.
type AuthMode int

// The auth modes.
const (
	// AuthNone lets anyone call: for a loopback address only (the command
	// refuses it elsewhere).
	AuthNone AuthMode = iota
	// AuthToken requires Authorization: Bearer <Auth.Token>, the server's
	// own access token, from every caller.
	AuthToken
	// AuthPassthrough requires a bearer credential and hands it, unchecked
	// here, to Auth.WithCredential for the request's context: the caller's
	// own API key, used for that request only.
	AuthPassthrough
)

// Auth configures who may call.
type Auth struct {
	Mode AuthMode
	// Token is the access token of AuthToken.
	Token string
	// WithCredential returns the context a request is served in, given the
	// caller's bearer credential (AuthPassthrough). It must not keep it.
	WithCredential func(ctx context.Context, credential string) context.Context
}

// errNoCredential and errBadCredential are the two 401 cases.
var (
	errNoCredential  = errors.New("this server requires Authorization: Bearer <credential>")
	errBadCredential = errors.New("the bearer token is not valid for this server")
)

// caller is an authenticated request's identity.
type caller struct {
	// key names the credential for the per-credential limit, the
	// cancellation record and access logs: a digest, never the credential.
	key string
	// credential is the passthrough credential ("" otherwise).
	credential string
}

// gate checks callers against an Auth. The access token's digest is
// computed once here rather than on every request.
type gate struct {
	Auth
	tokenDigest [sha256.Size]byte
}

func newGate(a Auth) gate {
	return gate{Auth: a, tokenDigest: sha256.Sum256([]byte(a.Token))}
}

// authenticate checks r's credentials.
func (a gate) authenticate(r *http.Request) (caller, error) {
	if a.Mode == AuthNone {
		return caller{key: "anonymous"}, nil
	}
	token, ok := bearer(r.Header.Get("Authorization"))
	if !ok {
		return caller{}, errNoCredential
	}
	switch a.Mode {
	case AuthToken:
		// Comparing digests keeps the time independent of where, and
		// whether in length, the tokens differ.
		got := sha256.Sum256([]byte(token))
		if a.Token == "" || subtle.ConstantTimeCompare(got[:], a.tokenDigest[:]) != 1 {
			return caller{}, errBadCredential
		}
		return caller{key: "token"}, nil
	default:
		return caller{key: "key:" + fingerprint(token), credential: token}, nil
	}
}

// bearer reads "Bearer <token>" (the scheme in any case).
func bearer(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}

// fingerprint is a short digest that tells credentials apart in logs and
// limits without revealing them.
func fingerprint(credential string) string {
	sum := sha256.Sum256([]byte("streamablehttp caller\x00" + credential))
	return hex.EncodeToString(sum[:6])
}

// challenge is the WWW-Authenticate value of a 401 (RFC 6750).
func challenge(err error) string {
	if errors.Is(err, errBadCredential) {
		return `Bearer realm="mcp", error="invalid_token"`
	}
	return `Bearer realm="mcp"`
}
