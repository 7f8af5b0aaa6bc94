// Command thonso runs the smart digital-transformation village system.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"thonso/internal/cli"
)

func main() {
	tuneProcs(os.Args[1:])
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
