package setup

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// change is what setup would do to one client config file.
type change struct {
	path    string
	existed bool
	mode    fs.FileMode
	before  []byte
	after   []byte
	// others are the other servers in the file, kept as they are.
	others []string
}

// changed reports whether the file would be different.
func (c *change) changed() bool { return !c.existed || !bytes.Equal(c.before, c.after) }

// planChange reads the config at path and works out the file with e as the
// bctrl entry. Everything else in the file stays as it was; when the entry
// (and VS Code's key input) already match, the file is left byte for byte.
func planChange(cl client, path string, e entry) (*change, error) {
	ch := &change{path: path, mode: 0o644}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		ch.existed = true
		if info, err := os.Stat(path); err == nil {
			ch.mode = info.Mode().Perm()
		}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	ch.before = data
	root, err := parseObject(data)
	if err != nil {
		return nil, fmt.Errorf("%s is not valid JSON (%v); setup changed nothing: fix the file, or move it away and run setup again", path, err)
	}
	servers, err := root.object(cl.serversKey)
	if err != nil {
		return nil, fmt.Errorf("%s: %v; setup changed nothing", path, err)
	}
	for _, k := range servers.keys {
		if k != ServerName {
			ch.others = append(ch.others, k)
		}
	}
	want, err := marshalPlain(e)
	if err != nil {
		return nil, err
	}
	same := false
	if have, ok := servers.get(ServerName); ok {
		same = sameJSON(have, want)
	}
	if !same {
		servers.set(ServerName, want)
		root.set(cl.serversKey, servers.compact())
	}
	inputsSame := true
	if cl.key == keyFromPrompt {
		if inputsSame, err = ensureInput(root); err != nil {
			return nil, fmt.Errorf("%s: %v; setup changed nothing", path, err)
		}
	}
	ch.after = data
	if !same || !inputsSame || !ch.existed {
		if ch.after, err = root.document(); err != nil {
			return nil, err
		}
	}
	return ch, nil
}

// ensureInput makes VS Code's "inputs" hold the key prompt, keeping other
// inputs; it reports whether it was already there as wanted.
func ensureInput(root *jsonObject) (bool, error) {
	want, _ := marshalPlain(vscodeInput())
	var inputs []json.RawMessage
	if raw, ok := root.get("inputs"); ok && string(bytes.TrimSpace(raw)) != "null" {
		if err := json.Unmarshal(raw, &inputs); err != nil {
			return false, errors.New(`"inputs" is not a JSON array`)
		}
	}
	for i, in := range inputs {
		var probe struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(in, &probe) != nil || probe.ID != vscodeInputID {
			continue
		}
		if sameJSON(in, want) {
			return true, nil
		}
		inputs[i] = want
		return false, root.setValue("inputs", inputs)
	}
	return false, root.setValue("inputs", append(inputs, want))
}

// apply writes the new file: a backup of the old one beside it first, then
// the new content through a temporary file and a rename, so a crash never
// leaves half a config. A file holding the key is made readable by its
// owner only. It returns the backup's path ("" for a new file).
func (c *change) apply(now time.Time, holdsKey bool) (string, error) {
	mode := c.mode
	if holdsKey {
		mode &^= 0o077
	}
	dir := filepath.Dir(c.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	backup := ""
	if c.existed {
		backup = backupName(c.path, now)
		if err := os.WriteFile(backup, c.before, c.mode&^0o077); err != nil {
			return "", fmt.Errorf("write backup: %w", err)
		}
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(c.path)+".*.tmp")
	if err != nil {
		return backup, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(mode); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		tmp.Close()
		return backup, err
	}
	if _, err := tmp.Write(c.after); err != nil {
		tmp.Close()
		return backup, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return backup, err
	}
	if err := tmp.Close(); err != nil {
		return backup, err
	}
	return backup, os.Rename(tmp.Name(), c.path)
}

// backupName is path plus a timestamp, with a counter if that name is taken.
func backupName(path string, now time.Time) string {
	base := path + ".bak-" + now.Format("20060102-150405")
	name := base
	for i := 2; ; i++ {
		if _, err := os.Stat(name); errors.Is(err, fs.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}
