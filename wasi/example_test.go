package wasi_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/witc-dev/witc/canonabi"
	"github.com/witc-dev/witc/host"
	"github.com/witc-dev/witc/wasi"
)

// run runs a wasi:cli/command: it calls its export wasi:cli/run#run and
// returns the command's exit status.
func run(ctx context.Context, rt *host.Runtime, l *host.Linker, b []byte) (int, error) {
	in, err := rt.Instantiate(ctx, l, b)
	if err != nil {
		return 0, err
	}
	// Any 0.2.x version of the interface is found.
	f, err := in.Func("wasi:cli/run@0.2.0#run")
	if err != nil {
		return 0, err // not a command
	}
	res, err := f.Call(ctx)
	if code, exited := host.ExitCode(err); exited {
		return code, nil // the command called wasi:cli/exit
	}
	if err != nil {
		return 0, err // a trap
	}
	if res[0].(canonabi.Variant).Case != 0 { // run returned result::err
		return 1, nil
	}
	return 0, nil
}

// Run a command with arguments, environment variables and its standard
// streams in buffers. wat-hello prints its arguments and $GREETING to
// stdout and a line to stderr.
func Example() {
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)

	b, err := os.ReadFile("../internal/producers/testdata/wat-hello.wasm")
	if err != nil {
		log.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	l := host.NewLinker()
	err = wasi.Register(l, wasi.Config{
		Args:   []string{"wat-hello", "a", "wörld"}, // the program name first
		Env:    [][2]string{{"GREETING", "grüezi"}},
		Stdin:  strings.NewReader(""), // what the command reads (this one reads nothing)
		Stdout: &stdout,
		Stderr: &stderr,
	})
	if err != nil {
		log.Fatal(err)
	}
	code, err := run(ctx, rt, l, b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(stdout.String())
	fmt.Print("stderr: ", stderr.String())
	fmt.Println("exit status", code)
	// Output:
	// wat-hello: start
	// arg: a
	// arg: wörld
	// GREETING=grüezi
	// wat-hello: done
	// stderr: wat-hello: a line on stderr
	// exit status 0
}

// Run runs a command in one call: it registers WASI, instantiates the
// component, calls wasi:cli/run#run and closes the instance.
func ExampleRun() {
	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)

	b, err := os.ReadFile("../internal/producers/testdata/wat-hello.wasm")
	if err != nil {
		log.Fatal(err)
	}
	var stdout bytes.Buffer
	code, err := wasi.Run(ctx, rt, b, wasi.Config{
		Args:   []string{"wat-hello", "x"},
		Env:    [][2]string{{"GREETING", "hello"}},
		Stdout: &stdout,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(stdout.String())
	fmt.Println("exit status", code)
	// Output:
	// wat-hello: start
	// arg: x
	// GREETING=hello
	// wat-hello: done
	// exit status 0
}

// A command sees the host's files only in the directories it is granted
// (Config.Dirs), at the path given. go-fs, a Go program, lists /data,
// reads, writes, renames, links and re-times files there, and tries to
// leave it: granted read-only, the directory refuses its first write.
func ExampleDir() {
	dir, err := os.MkdirTemp("", "go-fs")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hi there\n"), 0o644); err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	rt := host.NewRuntime(ctx, host.Options{})
	defer rt.Close(ctx)
	b, err := os.ReadFile("testdata/go-fs.wasm")
	if err != nil {
		log.Fatal(err)
	}
	for _, readOnly := range []bool{true, false} {
		var stdout bytes.Buffer
		l := host.NewLinker()
		err = wasi.Register(l, wasi.Config{
			Args:   []string{"go-fs"},
			Stdout: &stdout,
			Dirs:   []wasi.Dir{{HostPath: dir, GuestPath: "/data", ReadOnly: readOnly}},
		})
		if err != nil {
			log.Fatal(err)
		}
		code, err := run(ctx, rt, l, b)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("read-only %v:\n%sexit status %d\n", readOnly, stdout.String(), code)
	}
	moved, err := os.ReadFile(filepath.Join(dir, "sub", "moved.txt"))
	fmt.Printf("on the host: sub/moved.txt %q %v\n", moved, err)
	// Output:
	// read-only true:
	// entries: [hello.txt]
	// hello.txt: "hi there\n"
	// write: open /data/out.txt: Read-only file system
	// exit status 1
	// read-only false:
	// entries: [hello.txt]
	// hello.txt: "hi there\n"
	// moved.txt: 7 bytes, modified 2001-02-03T04:05:06Z
	// link -> moved.txt
	// hard.txt: "written"
	// escape refused
	// missing.txt: not found
	// done
	// exit status 0
	// on the host: sub/moved.txt "written" <nil>
}
