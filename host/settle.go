package host

import "context"

// Settle runs the instance's async tasks that are still going after the
// calls that started them returned (a task may go on after task.return:
// write the rest of a stream, for one) until none is left, or none can go
// on: every task left waits for something that no task and nothing Go
// holds can give. It returns the first trap, or ctx's error. A command
// host calls it after wasi:cli/run returned and before it closes the
// instance, so that what the command still writes is written.
func (in *Instance) Settle(ctx context.Context) error {
	if in.lock.acquire(ctx) {
		// acquire returns false only for a host function's context,
		// which has the lock already.
		defer in.lock.mu.Unlock()
	}
	if in.lock.closed {
		return ErrClosed
	}
	s := in.store
	_, err := s.runUntil(ctx, func() bool { return len(s.tasks) == 0 && len(s.starts) == 0 })
	return err
}
