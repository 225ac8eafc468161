package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/witc-dev/witc/host"
)

// TestMain lets the tests run this test binary as witc (WITC_TEST_AS_WITC=1),
// to send it signals.
func TestMain(m *testing.M) {
	if os.Getenv("WITC_TEST_AS_WITC") == "1" {
		os.Exit(run(context.Background(), append([]string{"witc"}, os.Args[1:]...), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// limitsFixture is a component of host/testdata (see their sources).
func limitsFixture(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "host", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func runWitc(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"witc"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestRunTimeout: a component in an endless loop is stopped by --timeout
// about when the time is up, with a message and exit status 124.
func TestRunTimeout(t *testing.T) {
	start := time.Now()
	code, _, stderr := runWitc("run", "--no-cache", "--timeout", "1s", "--invoke", "spin()", limitsFixture(t, "limits.wasm"))
	took := time.Since(start)
	if code != exitTimeout || stderr != "witc: the component ran past its --timeout of 1s and was stopped\n" {
		t.Errorf("exit status %d, stderr %q", code, stderr)
	}
	if took < time.Second || took > 2500*time.Millisecond {
		t.Errorf("witc run --timeout 1s returned after %v", took)
	}
}

// TestRunMaxMemory: a command growing its memory until memory.grow fails
// exits with the number of pages it reached (4 in 256 KiB); a component
// needing more than the limit at instantiation is refused with the flag
// named.
func TestRunMaxMemory(t *testing.T) {
	code, _, stderr := runWitc("run", "--no-cache", "--max-memory", "256KiB", limitsFixture(t, "grow-command.wasm"))
	if code != 4 || stderr != "" {
		t.Errorf("grow-command with --max-memory 256KiB: exit status %d (want 4), stderr %q", code, stderr)
	}
	big := limitsFixture(t, "bigmem.wasm")
	code, _, stderr = runWitc("run", "--no-cache", "--max-memory", "1MiB", "--invoke", "pages()", big)
	if want := "witc: " + big + ": the component's memories need at least 2 MiB at instantiation, more than --max-memory 1MiB allows\n"; code != exitFailure || stderr != want {
		t.Errorf("bigmem with --max-memory 1MiB: exit status %d, stderr %q, want %q", code, stderr, want)
	}
	code, stdout, stderr := runWitc("run", "--no-cache", "--max-memory", "2MiB", "--invoke", "pages()", big)
	if code != exitOK || stdout != "32\n" {
		t.Errorf("bigmem with --max-memory 2MiB: exit status %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	for _, bad := range []string{"64", "lots", "1XB", "0"} {
		if code, _, stderr := runWitc("run", "--max-memory", bad, big); code != exitUsage || !strings.Contains(stderr, "--max-memory") {
			t.Errorf("--max-memory %s: exit status %d, stderr %q", bad, code, stderr)
		}
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Second: "1s", time.Minute: "1m", 90 * time.Second: "1m30s",
		time.Hour: "1h", time.Hour + time.Second: "1h0m1s", 500 * time.Millisecond: "500ms"} {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]uint64{"65536": 1 << 16, "64KiB": 1 << 16, "64MiB": 64 << 20, "1GiB": 1 << 30, "1gib": 1 << 30,
		"2G": 2 << 30, "100000": 100000, "65536B": 1 << 16, "64 MiB": 64 << 20, "1TiB": 1 << 40} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1", "1.5GiB", "64MB", "1KiBB", "65535", "99999999999999999999", "20000000TiB"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}

// TestRunStackExhausted: unbounded recursion is reported as such.
func TestRunStackExhausted(t *testing.T) {
	code, _, stderr := runWitc("run", "--no-cache", "--invoke", "recurse(0)", limitsFixture(t, "limits.wasm"))
	if code != exitFailure || !strings.Contains(stderr, "recurse: call stack exhausted") {
		t.Errorf("exit status %d, stderr %q", code, stderr)
	}
}

// TestRunGuestUnresponsive: a guest that does not stop when told (blocked
// in the host) is not waited for past guestStopGrace.
func TestRunGuestUnresponsive(t *testing.T) {
	rt := host.NewRuntime(context.Background(), host.Options{})
	defer rt.Close(context.Background())
	block := make(chan struct{})
	defer close(block)
	var stderr bytes.Buffer
	start := time.Now()
	err := runGuest(context.Background(), &stderr, 100*time.Millisecond, rt, func(context.Context) error {
		<-block
		return nil
	})
	if took := time.Since(start); took > 100*time.Millisecond+guestStopGrace+time.Second {
		t.Errorf("runGuest returned after %v", took)
	}
	var code exitCode
	if !errors.As(err, &code) || code != exitTimeout || !strings.Contains(stderr.String(), "--timeout of 100ms") {
		t.Errorf("runGuest: %v, stderr %q", err, stderr.String())
	}
}

// TestRunSignals: SIGINT and SIGTERM stop a component in an endless loop;
// witc says so and exits with 130 and 143. (witc is this test binary,
// see TestMain.)
func TestRunSignals(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT or SIGTERM to send on Windows")
	}
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
		msg  string
	}{
		{syscall.SIGINT, exitSIGINT, "witc: interrupted (SIGINT): the component was stopped\n"},
		{syscall.SIGTERM, exitSIGTERM, "witc: terminated (SIGTERM): the component was stopped\n"},
	} {
		// witc needs time to start, compile and enter the loop: a signal
		// that comes before witc listens kills the process instead, and
		// then the test tries again, waiting longer.
		var cmd *exec.Cmd
		var stderr bytes.Buffer
		for wait := time.Second; ; wait *= 2 {
			cmd = exec.Command(os.Args[0], "run", "--no-cache", "--invoke", "spin()", limitsFixture(t, "limits.wasm"))
			cmd.Env = append(os.Environ(), "WITC_TEST_AS_WITC=1")
			stderr.Reset()
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(wait)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("%v: witc did not stop", tc.sig)
			}
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || wait >= 8*time.Second {
				break
			}
		}
		if code := cmd.ProcessState.ExitCode(); code != tc.code || stderr.String() != tc.msg {
			t.Errorf("%v: exit status %d (want %d), stderr %q", tc.sig, code, tc.code, stderr.String())
		}
	}
}
