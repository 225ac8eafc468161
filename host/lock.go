package host

import (
	"context"
	"sync"
	"sync/atomic"
)

// callLock serializes the calls into an instantiated component: one call
// runs at a time in all its component instances, as in wasmtime, where a
// store is entered by one thread at a time. A call made while another
// runs waits for it — unless it is made by that call itself, from a host
// function the component called (with the context the host function was
// given, or one derived from it): it then goes on, and the component
// model's rule for reentrance (a component instance that is running
// cannot be entered: state.enter) decides.
//
// The context tells the two apart: a host function is called with a
// context that carries a mark of the lock, live while the host function
// runs (heldKey). A call from another goroutine does not carry it (unless
// the host function passes its context on, and waits), nor does one made
// with the context of a host function that has returned. A host function
// that calls back into the component with an unrelated context
// (context.Background()) waits for itself forever.
//
// An uncontended call costs a TryLock and an Unlock (about 10 ns); the
// mark is made only for calls of host functions.
type callLock struct {
	mu     sync.Mutex
	closed bool // Instance.Close ran (under mu)
}

// heldKey is the context key of a *held.
type heldKey struct{}

// held marks the context of a host function called by the call that
// holds lock, while the host function runs.
type held struct {
	lock *callLock
	live atomic.Bool
}

// acquire waits for the lock unless ctx comes from a host function the
// call holding it runs; release says whether acquire took it (and the
// caller must unlock).
func (l *callLock) acquire(ctx context.Context) (release bool) {
	if l.mu.TryLock() {
		return true
	}
	if h, ok := ctx.Value(heldKey{}).(*held); ok && h.lock == l && h.live.Load() {
		return false
	}
	l.mu.Lock()
	return true
}

// holding returns ctx marked as coming from the call that holds the lock,
// for a host function to be called with; the mark lasts until end is
// called, when the host function has returned.
func (l *callLock) holding(ctx context.Context) (_ context.Context, end func()) {
	h := &held{lock: l}
	h.live.Store(true)
	return context.WithValue(ctx, heldKey{}, h), func() { h.live.Store(false) }
}
