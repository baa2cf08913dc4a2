package bctrl

import "github.com/google/uuid"

// IsID reports whether s is an id in the form bctrl uses for spaces,
// runtimes, runs and invocations: a uuid in its canonical 36-character
// form. uuid.Validate alone also accepts braces, a urn:uuid: prefix and
// 32 bare hex digits, which the API's paths would not match.
func IsID(s string) bool {
	return len(s) == 36 && uuid.Validate(s) == nil
}
