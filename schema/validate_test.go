package schema

import "testing"

// TestEveryValidatorCompiles compiles each lazily compiled schema, so a
// broken one fails here rather than on a user's first call.
func TestEveryValidatorCompiles(t *testing.T) {
	v := NewValidator()
	for name, compile := range v.byTool {
		if _, err := compile(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for p, compile := range v.byProvider {
		if _, err := compile(); err != nil {
			t.Errorf("create_invocation for %s: %v", p, err)
		}
	}
}
