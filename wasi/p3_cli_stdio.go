package wasi

import (
	"context"
	"io"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
)

// wasi:cli 0.3's stdin, stdout and stderr: streams of bytes. write-via-
// stream copies the guest's stream to the writer of Config on a copier
// goroutine and resolves its future once the guest dropped the stream
// (or the writer failed: error-code io); read-via-stream copies the
// reader of Config into a new stream, and resolves its future at the
// reader's end.

// cliErrIO is the case io of error-code (wasi:cli/types@0.3.0).
const cliErrIO = 0

func (s *state) registerStdio3(stdin, stdout, stderr *registrar) {
	stdin.raw("read-via-stream", s.readVia(stdin, "read-via-stream", s.cfg.Stdin))
	stdout.raw("write-via-stream", s.writeVia(stdout, "write-via-stream", s.cfg.Stdout))
	stderr.raw("write-via-stream", s.writeVia(stderr, "write-via-stream", s.cfg.Stderr))
}

// cliResult is the `result<_, error-code>` of a copy of a standard
// stream that ended with err.
func cliResult(err error) canonabi.Value {
	if err != nil {
		return errResult(cliErrIO)
	}
	return okResult
}

// writeVia is write-via-stream to w.
func (s *state) writeVia(r *registrar, name string, w io.Writer) host.HostFunc {
	futT := elemOf(r.function(name).Result)
	w = lockedWriter{&s.copy.mu, w}
	return func(_ context.Context, args []canonabi.Value) ([]canonabi.Value, error) {
		data, err := argReader(args, 0)
		if err != nil {
			return nil, err
		}
		fr := s.streamIn(futT, data, func(data *host.StreamReader) error {
			_, err := io.Copy(w, data)
			return err
		}, cliResult)
		return []canonabi.Value{fr}, nil
	}
}

// readVia is read-via-stream from rd.
func (s *state) readVia(r *registrar, name string, rd io.Reader) host.HostFunc {
	streamT, futT := streamTypes(r.function(name).Result)
	return func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		return []canonabi.Value{s.streamOut(streamT, futT, func(sw *host.StreamWriter) error {
			_, err := io.Copy(sw, rd)
			return err
		}, cliResult)}, nil
	}
}
