package bctrlsim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// tableMarker asks for a final answer shaped like an extraction task's: an
// array of objects, one per row. Other markers choose the lifecycle; this
// one only shapes the answer.
const tableMarker = "sim:table"

// rowsRE asks for a large extraction: sim:rows=N answers N product rows
// (1 to 10,000), about 110 bytes of JSON each.
var rowsRE = regexp.MustCompile(`sim:rows=(\d+)`)

// stepResult is what the simulated agent's step returns when it succeeds:
// by default {"answer": text, "steps": n}; with sim:table a list of rows,
// with sim:rows=N that many product rows.
func stepResult(instruction string, steps int) any {
	if m := rowsRE.FindStringSubmatch(instruction); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil && n >= 1 && n <= 10000 {
			return productRows(n)
		}
	}
	if strings.Contains(instruction, tableMarker) {
		return []any{
			map[string]any{"airline": "TAP Air Portugal", "flight": "TP 559", "departs": "07:05", "arrives": "09:55", "price": "€89"},
			map[string]any{"airline": "easyJet", "flight": "U2 5391", "departs": "11:40", "arrives": "14:25", "price": "€104"},
			map[string]any{"airline": "Ryanair", "flight": "FR 146", "departs": "18:15", "arrives": "21:05", "price": "€117"},
		}
	}
	return map[string]any{"answer": resultAnswer(instruction), "steps": steps}
}

// productRows is a catalogue of n products, each row different.
func productRows(n int) []any {
	rows := make([]any, n)
	for i := range n {
		rows[i] = map[string]any{
			"product": fmt.Sprintf("Product %04d", i+1), "sku": fmt.Sprintf("SKU-%06d", 100000+i*37),
			"price": fmt.Sprintf("€%d.%02d", 5+i%90, (i*7)%100), "inStock": i%3 != 0,
			"url": fmt.Sprintf("https://shop.example/p/%d", i+1),
		}
	}
	return rows
}
