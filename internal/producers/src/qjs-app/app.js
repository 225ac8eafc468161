// qjs-app: a wasi:cli command in JavaScript, built by componentize-qjs
// (QuickJS) through `jco componentize --backend quickjs
// --backend-qjs-disable-async` for the world producers:app-world/app. It
// calls producers:lib/api (composed with c-lib) and prints what it gets, in
// the same format as go-app and c-app.
import api from "producers:lib/api@0.1.0";
import { getArguments, getEnvironment } from "wasi:cli/environment@0.2.12";
import { getStdout } from "wasi:cli/stdout@0.2.12";
import { getStderr } from "wasi:cli/stderr@0.2.12";

// QuickJS has neither console nor TextEncoder here: lines go to the WASI
// streams as UTF-8 encoded by hand. The streams are got inside run (module
// top-level code runs at build time, under Wizer).
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
let console;

const hex = (n) => "0x" + (n >>> 0).toString(16).padStart(8, "0");
const q = (s) => JSON.stringify(s);

export const run = {
  run() {
    const me = "qjs-app";
    const out = getStdout();
    const err = getStderr();
    console = {
      log: (s) => out.blockingWriteAndFlush(utf8(s + "\n")),
      error: (s) => err.blockingWriteAndFlush(utf8(s + "\n")),
    };
    const args = getArguments();
    console.log(`${me}: start`);
    args.slice(1).forEach((a, i) => console.log(`arg ${i + 1}: ${a}`));
    const g = getEnvironment().find(([k]) => k === "GREETING");
    console.log(g ? `GREETING=${g[1]}` : "GREETING is not set");

    for (const s of ["wörld", ""]) console.log(`greet(${q(s)}) = ${q(api.greet(s))}`);

    const big = new Uint8Array(100000);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 255;
    console.log(`checksum(100000 bytes) = ${hex(api.checksum(big))}`);
    console.log(`checksum("Wikipedia") = ${hex(api.checksum(utf8("Wikipedia")))}`);
    console.log(`checksum(0 bytes) = ${hex(api.checksum(new Uint8Array(0)))}`);

    console.log(`fill(5, 250) = [${Array.from(api.fill(5, 250)).join(" ")}]`);
    const f = api.fill(100000, 3);
    console.log(`fill(100000, 3): ${f.length} bytes, checksum ${hex(api.checksum(f))}`);

    console.log(`sum([1 -2 2147483647 2147483647 -2147483648]) = ${api.sum([1, -2, 2147483647, 2147483647, -2147483648])}`);
    console.log(`sum([]) = ${api.sum([])}`);

    console.log(`split("a,b,,c", ",") = [${api.split("a,b,,c", ",").map(q).join(" ")}]`);

    const p = api.translate({ x: 1, y: 2, label: "p" }, 10, -20);
    console.log(`translate({1 2 "p"}, 10, -20) = {${p.x} ${p.y} ${q(p.label)}}`);

    const c = new api.Counter(5);
    const a = c.add(3);
    const b = c.add(4);
    console.log(`counter(5): add(3) = ${a}, add(4) = ${b}, get() = ${c.get()}`);
    c[Symbol.dispose]();

    console.error(`${me}: a line on stderr`);
    if (args[1] === "fail") {
      console.error(`${me}: failing`);
      throw "fail"; // run returns err: the command's status is 1
    }
    console.log(`${me}: done`);
  },
};
