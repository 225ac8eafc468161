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

// cli error-code cases (wasi:cli/types@0.3.0).
const (
	cliErrIO   = 0
	cliErrPipe = 2
)

func (s *state) registerStdio3(stdin, stdout, stderr *registrar) {
	stdin.raw("read-via-stream", s.readVia(stdin, "read-via-stream", s.cfg.Stdin))
	stdout.raw("write-via-stream", s.writeVia(stdout, "write-via-stream", s.cfg.Stdout))
	stderr.raw("write-via-stream", s.writeVia(stderr, "write-via-stream", s.cfg.Stderr))
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
		fw, fr := host.NewFuture(futT)
		s.goCopy(func() {
			res := canonabi.Value(okResult)
			if _, err := io.Copy(w, data); err != nil {
				res = errResult(cliErrIO)
			}
			data.Close()
			fw.Write(res)
		})
		return []canonabi.Value{fr}, nil
	}
}

// readVia is read-via-stream from rd.
func (s *state) readVia(r *registrar, name string, rd io.Reader) host.HostFunc {
	typ := r.function(name)
	td := typ.Result
	elems := tupleTypes(td)
	streamT, futT := elemOf(elems[0]), elemOf(elems[1])
	return func(context.Context, []canonabi.Value) ([]canonabi.Value, error) {
		sw, sr := host.NewStream(streamT)
		fw, fr := host.NewFuture(futT)
		s.goCopy(func() {
			res := canonabi.Value(okResult)
			_, err := io.Copy(sw, rd)
			switch {
			case err == io.ErrClosedPipe:
				// The guest dropped the stream: not an error of stdin.
			case err != nil:
				res = errResult(cliErrIO)
			}
			sw.Close()
			fw.Write(res)
		})
		return []canonabi.Value{canonabi.Tuple{sr, fr}}, nil
	}
}
