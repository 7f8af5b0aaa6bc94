package web

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

// TestClientGone: only a cancelled request's own cancellation is the
// client leaving; a timeout of ours while the client waits is a fault.
func TestClientGone(t *testing.T) {
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	wrapped := fmt.Errorf("store: stats: %w", context.Canceled)
	if !clientGone(gone, wrapped) {
		t.Fatal("a cancelled request's error is not the client leaving")
	}
	if clientGone(context.Background(), wrapped) {
		t.Fatal("a live request's cancellation error counted as the client leaving")
	}
	if clientGone(gone, errors.New("disk full")) {
		t.Fatal("a real fault counted as the client leaving")
	}
}
