package host

import (
	"io"
	"testing"

	"github.com/witc-dev/witc/canonabi"
)

// BenchmarkAsync: the async ABI's costs, side by side in one run
// (testdata/src/gostreams.wat). Call/* calls the same function lifted
// sync (add) and async with a callback (add-async), through Func.Call.
// Stream/* moves 100 MiB through a stream<u8> between Go and the guest,
// in 64 KiB copies, against a memcpy of the same bytes in 64 KiB pieces
// (memcpy-cold, memcpy-hot):
// go-to-guest (Go's StreamWriter.Write, the guest's drain reads and
// counts) and guest-to-go (the guest's emit writes, Go reads with
// StreamReader.Read).
func BenchmarkAsync(b *testing.B) {
	in, ctx := goAsyncInstance(b)
	for _, name := range []string{"add", "add-async"} {
		b.Run("Call/"+name, func(b *testing.B) {
			f, err := in.Func(name)
			if err != nil {
				b.Fatal(err)
			}
			args := []canonabi.Value{uint32(1), uint32(2)}
			res := make([]canonabi.Value, 0, 1)
			b.ReportAllocs()
			for b.Loop() {
				if res, err = f.CallInto(ctx, res, args...); err != nil || res[0] != canonabi.Value(uint32(3)) {
					b.Fatal(res, err)
				}
			}
		})
	}
	const total = 100 << 20
	const chunk = 64 << 10
	src := make([]byte, total)
	for i := range src {
		src[i] = byte(i)
	}
	// memcpy-cold copies from the 100 MiB source (as go-to-guest reads
	// Go's), memcpy-hot from one 64 KiB source (as the guest's emit
	// writes the same 64 KiB of its memory).
	b.Run("Stream/memcpy-cold", func(b *testing.B) {
		b.SetBytes(total)
		dst := make([]byte, chunk)
		for b.Loop() {
			for off := 0; off < total; off += chunk {
				copy(dst, src[off:off+chunk])
			}
		}
	})
	b.Run("Stream/memcpy-hot", func(b *testing.B) {
		b.SetBytes(total)
		dst := make([]byte, chunk)
		for b.Loop() {
			for off := 0; off < total; off += chunk {
				copy(dst, src[:chunk])
			}
		}
	})
	b.Run("Stream/go-to-guest", func(b *testing.B) {
		b.SetBytes(total)
		f, _ := in.Func("drain")
		for b.Loop() {
			w, r := NewStream(u8)
			done := make(chan error, 1)
			go func() {
				for off := 0; off < total; off += chunk {
					if _, err := w.Write(src[off : off+chunk]); err != nil {
						done <- err
						return
					}
				}
				done <- w.Close()
			}()
			res, err := f.Call(ctx, r)
			if err != nil || res[0] != canonabi.Value(uint32(total)) {
				b.Fatal(res, err)
			}
			if err := <-done; err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Stream/guest-to-go", func(b *testing.B) {
		b.SetBytes(total)
		f, _ := in.Func("emit")
		buf := make([]byte, chunk)
		for b.Loop() {
			res, err := f.Call(ctx, uint32(total))
			if err != nil {
				b.Fatal(err)
			}
			r := res[0].(*StreamReader)
			n := 0
			for {
				m, err := r.Read(buf)
				n += m
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			if n != total {
				b.Fatalf("read %d bytes", n)
			}
		}
	})
}
