package wasi

// wasi:io/error: the error resource that a stream's
// last-operation-failed carries.

// ioError is the object behind an error resource: what went wrong.
type ioError string

func (s *state) registerError(r *registrar) {
	s.errorT = r.resource("error", s.errs.drop)
	fn1(r, "[method]error.to-debug-string", s.toDebugString)
}

func (s *state) toDebugString(e ioError) (string, error) { return string(e), nil }
