// convert.mjs turns the packages of the wac conformance data into
// component binaries with jco (wasm-tools' WAT reader and wit-component),
// all in one node process, for the tests that read them (make
// wac-conformance).
//
//   node convert.mjs JCO_DIR WAC_DIR CACHE_DIR
//
// JCO_DIR is where @bytecodealliance/jco is installed (the Makefile's
// JCO_DIR); WAC_DIR is the wac conformance folder ($(SHARED)/conformance/wac).
// Every X.wat under WAC_DIR becomes CACHE_DIR/<same relative path>.wasm
// (X.wat.wasm), or .err with the reader's message when it rejects the
// text. The WIT packages that wac-graph's graph.json files name (a .wit
// file or a folder with deps/) become a component implementing the
// package's only world, with a dummy core module, as wac-graph's test
// harness builds them: CACHE_DIR/<relative path>.wasm.
import { readFile, writeFile, rename, readdir, mkdir, stat } from "node:fs/promises";
import { join, dirname, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [jcoDir, wacDir, cacheDir] = process.argv.slice(2);
if (!jcoDir || !wacDir || !cacheDir) {
  console.error("usage: node convert.mjs JCO_DIR WAC_DIR CACHE_DIR");
  process.exit(2);
}
const api = join(jcoDir, "node_modules", "@bytecodealliance", "jco", "dist", "api.js");
const { parse, componentEmbed, componentNew } = await import(pathToFileURL(api).href);

// write puts a file in place atomically, so that an interrupted run
// leaves no truncated binary behind.
async function write(rel, data) {
  const out = join(cacheDir, rel);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out + ".tmp", data);
  await rename(out + ".tmp", out);
}

function errorText(e) {
  return String(e && e.message !== undefined ? e.message : e);
}

async function* walk(dir) {
  for (const ent of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) {
      yield* walk(p);
    } else {
      yield p;
    }
  }
}

const start = Date.now();
let ok = 0;
let failed = 0;
const root = resolve(wacDir);
const graphs = [];
for await (const p of walk(root)) {
  const rel = relative(root, p);
  if (p.endsWith(".wat")) {
    try {
      await write(rel + ".wasm", await parse(await readFile(p, "utf8")));
      ok++;
    } catch (e) {
      await write(rel + ".err", errorText(e) + "\n");
      failed++;
    }
  } else if (p.endsWith("graph.json")) {
    graphs.push(p);
  } else if (p.endsWith(".wac.result") && rel.split(/[\\/]/).includes("encoding") && !rel.split(/[\\/]/).includes("fail")) {
    // the expected composition of an encoding case, printed as WAT:
    // CACHE_DIR/<relative path>.wasm (X.wac.result.wasm)
    try {
      await write(rel + ".wasm", await parse(await readFile(p, "utf8")));
      ok++;
    } catch (e) {
      await write(rel + ".err", errorText(e) + "\n");
      failed++;
    }
  }
}

// witFiles lists the .wit files of a package: the file itself, or the
// .wit files of a folder (not its deps/).
async function witFiles(p) {
  if (!(await stat(p)).isDirectory()) {
    return [p];
  }
  const out = [];
  for (const ent of await readdir(p, { withFileTypes: true })) {
    if (ent.isFile() && ent.name.endsWith(".wit")) {
      out.push(join(p, ent.name));
    }
  }
  return out.sort();
}

const header = /^\s*(?:\/\/[^\n]*\n\s*)*package\s+([^;{\s]+)\s*;/;

// witSource gives a WIT package with its deps/ as one source text: jco's
// wasm-tools cannot read the file system, so the deps become nested
// `package ns:name { ... }` blocks after the main package.
async function witSource(p) {
  let main = "";
  let name = "";
  for (const f of await witFiles(p)) {
    const text = await readFile(f, "utf8");
    const m = text.match(header);
    if (m) {
      name = m[1];
      main += text.slice(m[0].length) + "\n";
    } else {
      main += text + "\n";
    }
  }
  let deps = "";
  const depDir = join(p, "deps");
  if ((await stat(p)).isDirectory() && (await stat(depDir).catch(() => null))) {
    const byName = new Map();
    for await (const f of walk(depDir)) {
      if (!f.endsWith(".wit")) {
        continue;
      }
      const text = await readFile(f, "utf8");
      const m = text.match(header);
      if (!m) {
        throw new Error(`${f}: no package header`);
      }
      byName.set(m[1], (byName.get(m[1]) || "") + text.slice(m[0].length) + "\n");
    }
    for (const [n, body] of byName) {
      deps += `package ${n} {\n${body}}\n`;
    }
  }
  return `package ${name};\n${main}\n${deps}`;
}

// WIT packages named by graph.json files.
const witDone = new Set();
for (const g of graphs) {
  const doc = JSON.parse(await readFile(g, "utf8"));
  for (const pkg of doc.packages || []) {
    const p = join(dirname(g), pkg.path);
    if (p.endsWith(".wat") || witDone.has(p)) {
      continue;
    }
    witDone.add(p);
    const rel = relative(root, p);
    try {
      const core = await componentEmbed({ dummy: true, witSource: await witSource(p) });
      await write(rel + ".wasm", await componentNew(core));
      ok++;
    } catch (e) {
      await write(rel + ".err", errorText(e) + "\n");
      failed++;
    }
  }
}
console.log(`convert: ${ok} converted, ${failed} rejected, ${Date.now() - start} ms`);
