package bctrlsim

import "strings"

// tableMarker asks for a final answer shaped like an extraction task's: an
// array of objects, one per row. Other markers choose the lifecycle; this
// one only shapes the answer.
const tableMarker = "sim:table"

// stepResult is what the simulated agent's step returns when it succeeds:
// by default {"answer": text, "steps": n}; with sim:table a list of rows.
func stepResult(instruction string, steps int) any {
	if strings.Contains(instruction, tableMarker) {
		return []any{
			map[string]any{"airline": "TAP Air Portugal", "flight": "TP 559", "departs": "07:05", "arrives": "09:55", "price": "€89"},
			map[string]any{"airline": "easyJet", "flight": "U2 5391", "departs": "11:40", "arrives": "14:25", "price": "€104"},
			map[string]any{"airline": "Ryanair", "flight": "FR 146", "departs": "18:15", "arrives": "21:05", "price": "€117"},
		}
	}
	return map[string]any{"answer": resultAnswer(instruction), "steps": steps}
}
