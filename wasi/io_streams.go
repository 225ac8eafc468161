package wasi

import (
	"fmt"
	"io"
	"time"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
)

// wasi:io/streams: input streams backed by an io.Reader, output streams by
// an io.Writer. Every stream is always ready; the blocking variants of
// the functions are the same functions.

func (s *state) registerStreams(r *registrar) {
	s.inputT = r.resource("input-stream", s.inputs.drop)
	s.outputT = r.resource("output-stream", s.outputs.drop)
	r.alias("error", s.errorT)
	r.alias("pollable", s.pollT)

	fn2(r, "[method]input-stream.read", s.read)
	fn2(r, "[method]input-stream.blocking-read", s.read)
	fn2(r, "[method]input-stream.skip", s.skip)
	fn2(r, "[method]input-stream.blocking-skip", s.skip)
	fn1(r, "[method]input-stream.subscribe", s.subscribeInput)

	fn1(r, "[method]output-stream.check-write", s.checkWrite)
	do2(r, "[method]output-stream.write", s.write)
	do2(r, "[method]output-stream.blocking-write-and-flush", s.write)
	do1(r, "[method]output-stream.flush", s.flush)
	do1(r, "[method]output-stream.blocking-flush", s.flush)
	fn1(r, "[method]output-stream.subscribe", s.subscribeOutput)
	do2(r, "[method]output-stream.write-zeroes", s.writeZeroes)
	do2(r, "[method]output-stream.blocking-write-zeroes-and-flush", s.writeZeroes)
	fn3(r, "[method]output-stream.splice", s.splice)
	fn3(r, "[method]output-stream.blocking-splice", s.splice)
}

// streamError is a stream-error: the stream is closed, or its last
// operation failed, with an error resource saying why.
type streamError struct {
	closed bool
	err    host.Resource // last-operation-failed
}

var errClosed = &streamError{closed: true}

// failed is last-operation-failed with err.
func (s *state) failed(err error) *streamError {
	return &streamError{err: own(s.errorT, s.errs.add(ioError(err.Error())))}
}

func (e *streamError) Error() string {
	if e.closed {
		return "stream closed"
	}
	return "stream operation failed"
}

func (e *streamError) errValue() canonabi.Value {
	if e.closed {
		return canonabi.Variant{Case: 1}
	}
	return canonabi.Variant{Case: 0, Payload: e.err}
}

// maxRead is the most a read returns at once, and what check-write
// permits.
const maxRead = 1 << 20

// maxZeroes is the most write-zeroes writes at once.
const maxZeroes = 1 << 24

func (s *state) read(r io.Reader, n uint64) ([]byte, error) {
	buf := make([]byte, min(n, maxRead))
	m, err := r.Read(buf)
	switch {
	case m == 0 && err == io.EOF:
		return nil, errClosed
	case m == 0 && err != nil:
		return nil, s.failed(err)
	}
	return buf[:m], nil
}

func (s *state) skip(r io.Reader, n uint64) (uint64, error) {
	b, err := s.read(r, n)
	return uint64(len(b)), err
}

func (s *state) subscribeInput(io.Reader) (host.Resource, error) { return s.newPollable(time.Time{}) }

func (s *state) checkWrite(io.Writer) (uint64, error) { return maxRead, nil }

func (s *state) write(w io.Writer, contents []byte) error {
	if _, err := w.Write(contents); err != nil {
		return s.failed(err)
	}
	return nil
}

func (s *state) flush(w io.Writer) error {
	switch f := w.(type) {
	case interface{ Flush() error }:
		if err := f.Flush(); err != nil {
			return s.failed(err)
		}
	case interface{ Flush() }:
		f.Flush()
	}
	return nil
}

func (s *state) subscribeOutput(io.Writer) (host.Resource, error) { return s.newPollable(time.Time{}) }

func (s *state) writeZeroes(w io.Writer, n uint64) error {
	if n > maxZeroes {
		return fmt.Errorf("write-zeroes of %d bytes is too large", n)
	}
	return s.write(w, make([]byte, n))
}

// splice reads from src what one read gives (at most n bytes) and writes
// it to w.
func (s *state) splice(w io.Writer, src io.Reader, n uint64) (uint64, error) {
	b, err := s.read(src, n)
	if err != nil {
		return 0, err
	}
	if err := s.write(w, b); err != nil {
		return 0, err
	}
	return uint64(len(b)), nil
}
