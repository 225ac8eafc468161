// qjs-hello: a wasi:cli command in JavaScript, built by componentize-qjs
// (QuickJS) with its default, component-model-async runtime (`jco
// componentize --backend quickjs`, no --backend-qjs-disable-async) for the
// world producers:hello-world/hello. It prints its arguments and $GREETING,
// writes to stderr, and fails (exit(err) through wasi:cli/exit) when its
// first argument is "fail".
import { getArguments, getEnvironment } from "wasi:cli/environment@0.2.12";
import { getStdout } from "wasi:cli/stdout@0.2.12";
import { getStderr } from "wasi:cli/stderr@0.2.12";
import { exit } from "wasi:cli/exit@0.2.12";

// No console nor TextEncoder in this runtime: UTF-8 by hand.
function utf8(s) {
  const b = [];
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c < 0x80) b.push(c);
    else if (c < 0x800) b.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) b.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else b.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(b);
}

export const run = {
  run() {
    const out = getStdout();
    const err = getStderr();
    const log = (s) => out.blockingWriteAndFlush(utf8(s + "\n"));
    const args = getArguments();
    log(`qjs-hello: ${args.length - 1} args`);
    args.slice(1).forEach((a, i) => log(`arg ${i + 1}: ${a}`));
    const g = getEnvironment().find(([k]) => k === "GREETING");
    log(g ? `GREETING=${g[1]}` : "GREETING is not set");
    const words = args.slice(1).map((a) => a.toUpperCase()).sort();
    log(`sorted, upper-cased: ${JSON.stringify(words)}`);
    err.blockingWriteAndFlush(utf8("qjs-hello: a line on stderr\n"));
    if (args[1] === "fail") {
      err.blockingWriteAndFlush(utf8("qjs-hello: exit(err)\n"));
      exit({ tag: "err" });
    }
    log("qjs-hello: done");
  },
};
