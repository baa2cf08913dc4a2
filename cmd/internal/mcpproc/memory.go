package mcpproc

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// MemoryKB reads a field such as VmRSS or VmHWM (peak) from /proc/<pid>/status.
func MemoryKB(pid int, field string) (int, error) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, ErrNoProc
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	return 0, fmt.Errorf("%s not in /proc/%d/status", field, pid)
}
