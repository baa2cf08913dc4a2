package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// newFlagSet returns a flag set that prints nothing by itself: parseFlags
// prints usage for -h/--help and turns any other mistake into one line.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args. On -h/--help it writes usage to helpOut and
// returns flag.ErrHelp (exit 0); a bad flag comes back as a one-line error
// that names it and points to --help, instead of the whole usage text.
func parseFlags(fs *flag.FlagSet, args []string, helpOut io.Writer, usage string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(helpOut, usage)
		return err
	default:
		return fmt.Errorf("%v (run %s --help)", err, fs.Name())
	}
}
