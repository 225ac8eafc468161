// sm-hello: a wasi:cli command in JavaScript, built by componentize-js
// (StarlingMonkey) for the world producers:hello-world/hello, with every
// optional WASI feature but stdio disabled. It prints its arguments and
// $GREETING, writes to stderr, and fails (exit(err) through wasi:cli/exit)
// when its first argument is "fail".
import { getArguments, getEnvironment } from "wasi:cli/environment@0.2.12";
import { getStdout } from "wasi:cli/stdout@0.2.12";
import { getStderr } from "wasi:cli/stderr@0.2.12";
import { exit } from "wasi:cli/exit@0.2.12";

const enc = new TextEncoder();

export const run = {
  run() {
    const out = getStdout();
    const err = getStderr();
    const log = (s) => out.blockingWriteAndFlush(enc.encode(s + "\n"));
    const args = getArguments();
    log(`sm-hello: ${args.length - 1} args`);
    args.slice(1).forEach((a, i) => log(`arg ${i + 1}: ${a}`));
    const g = getEnvironment().find(([k]) => k === "GREETING");
    log(g ? `GREETING=${g[1]}` : "GREETING is not set");
    const words = args.slice(1).map((a) => a.toUpperCase()).sort();
    log(`sorted, upper-cased: ${JSON.stringify(words)}`);
    err.blockingWriteAndFlush(enc.encode("sm-hello: a line on stderr\n"));
    if (args[1] === "fail") {
      err.blockingWriteAndFlush(enc.encode("sm-hello: exit(err)\n"));
      exit({ tag: "err" });
    }
    log("sm-hello: done");
  },
};
