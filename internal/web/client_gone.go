package web

import (
	"context"
	"errors"
)

// statusClientGone is what the access log and /metrics record for a
// request whose client left before the answer (nginx's 499): counted
// apart from the server's own failures.
const statusClientGone = 499

// clientGone reports whether err comes from the request's own context
// ending because the client went away, not from a fault of ours.
func clientGone(ctx context.Context, err error) bool {
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}
