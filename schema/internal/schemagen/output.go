package schemagen

// openOutput makes the output schema compact and open. Clients validate
// structuredContent against it, so it must accept every invocation the API
// may return, including fields and values a newer API adds (relayed as they
// come): the top level keeps its types (no enums) and leaves room for more
// fields, and each nested object is described by its type alone and left
// open. Clients seldom show this schema to the model, and it is repeated for
// every tool, so it carries no descriptions. It returns a new schema.
func openOutput(s map[string]any) map[string]any {
	props := map[string]any{}
	for name, p := range s["properties"].(map[string]any) {
		props[name] = typeOnly(p.(map[string]any))
	}
	return map[string]any{"type": "object", "required": s["required"], "properties": props}
}

// typeOnly keeps a field's type and its array items' type.
func typeOnly(p map[string]any) map[string]any {
	out := map[string]any{}
	if t, ok := p["type"]; ok {
		out["type"] = t
	}
	if items, ok := p["items"].(map[string]any); ok {
		out["items"] = typeOnly(items)
	}
	return out
}
