// convert.mjs turns the WAT texts of the component spec scripts into
// binaries with jco's WAT reader (wasm-tools' parser, strict component
// indices), all in one node process.
//
//   node convert.mjs JCO_DIR CACHE_DIR
//
// JCO_DIR is where @bytecodealliance/jco is installed (make jco-test's
// JCO_DIR); CACHE_DIR holds manifest.json (written by the Go side: a JSON
// array of {hash, text}) and receives <hash>.wasm, or <hash>.err with the
// reader's message for a text it rejects.
import { readFile, writeFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [jcoDir, cacheDir] = process.argv.slice(2);
if (!jcoDir || !cacheDir) {
  console.error("usage: node convert.mjs JCO_DIR CACHE_DIR");
  process.exit(2);
}
const api = join(jcoDir, "node_modules", "@bytecodealliance", "jco", "dist", "api.js");
const { parse } = await import(pathToFileURL(api).href);

const entries = JSON.parse(await readFile(join(cacheDir, "manifest.json"), "utf8"));

// write puts a file in place atomically, so that an interrupted run
// leaves no truncated binary behind.
async function write(name, data) {
  const tmp = join(cacheDir, name + ".tmp");
  await writeFile(tmp, data);
  await rename(tmp, join(cacheDir, name));
}

// errorText shortens the reader's error (a Rust Debug rendering) to its
// message where it can be found.
function errorText(e) {
  const s = String(e && e.message !== undefined ? e.message : e);
  const custom = s.match(/kind: Custom\("((?:[^"\\]|\\.)*)"\)/);
  const line = s.match(/line: (\d+), col: (\d+)/);
  if (custom) {
    return (line ? `line ${Number(line[1]) + 1}, col ${Number(line[2]) + 1}: ` : "") + custom[1].replace(/\\(.)/g, "$1");
  }
  return s;
}

const start = Date.now();
let ok = 0;
let failed = 0;
for (const { hash, text } of entries) {
  try {
    const bin = await parse(text);
    await write(hash + ".wasm", bin);
    ok++;
  } catch (e) {
    await write(hash + ".err", errorText(e) + "\n");
    failed++;
  }
}
console.log(`convert: ${ok} converted, ${failed} rejected by the WAT reader, ${Date.now() - start} ms`);
