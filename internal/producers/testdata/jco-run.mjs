// The preload of every `jco run` of the producers fixtures (see
// scripts/producers.sh, which writes the same file into its tools folder,
// and TestJcoRunsWAC).
import { _setEnv, _setArgs } from '@bytecodealliance/preview2-shim/cli';
import { appendFileSync } from 'node:fs';
import { inspect } from 'node:util';
_setEnv(JSON.parse(process.env.PRODUCERS_ENV || '{}'));
// Loading preview2-shim here fixes its arguments before jco's runner sets
// process.argv[1] to the program name: set them as the runner would have.
_setArgs([process.env.PRODUCERS_ARGV0, ...process.argv.slice(2)]);
const report = process.env.PRODUCERS_REPORT;
console.error = (...xs) => {
  if (report) appendFileSync(report, xs.map((x) => (typeof x === 'string' ? x : inspect(x))).join(' ') + '\n');
};
if (typeof WebAssembly.Suspending !== 'function') {
  WebAssembly.Suspending = function (f) {
    return function (...args) {
      const r = f(...args);
      if (r && typeof r.then === 'function') throw new Error('producers-run: an import returned a promise (no JSPI here)');
      return r;
    };
  };
  WebAssembly.promising = (f) => (...args) => {
    try { return Promise.resolve(f(...args)); } catch (e) { return Promise.reject(e); }
  };
}
