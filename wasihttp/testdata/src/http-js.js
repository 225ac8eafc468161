// http-js: a wasi:http proxy in JavaScript, built by componentize-js
// (StarlingMonkey) for the world wasi:http/proxy@0.2.12. It exports
// wasi:http/incoming-handler itself (so componentize-js turns the fetch
// event off) and speaks wasi:http/types directly: Fields, OutgoingResponse,
// OutgoingBody, ResponseOutparam.set, input and output streams.
//
// Routes (the same in http-fetch.js; see ../NOTES.md):
//   GET  /            200 text/plain "hello from http-js\n"
//   POST /echo        200, the request body back, x-echo-len: <bytes>
//   GET  /status/418  418, x-teapot: yes
//   GET  /big         200, 300 KiB (4800 lines of 64 bytes) in 4 KiB writes
//   POST /count       200, "<bytes of the request body>\n", read as a stream
//   GET  /headers     200, method, path with query, the x-* headers sorted
//   GET  /trap        throws
//   GET  /loop        never returns
//   GET  /noresponse  returns without setting the outparam
//   GET  /upstream    (http-js only; not in scripts/http-fixtures.sh: it
//                     needs an upstream) a request through
//                     wasi:http/outgoing-handler to the absolute URL in the
//                     request header x-upstream, with x-from: witc-test:
//                     200, x-upstream-status: <status>, the upstream's body;
//                     or 502 "error-code: <tag>\n"
//   POST /upstream    the same as a POST with the request's body
//   anything else     404 "not found\n"
import {
  Fields,
  OutgoingBody,
  OutgoingRequest,
  OutgoingResponse,
  ResponseOutparam,
} from "wasi:http/types@0.2.12";
import { handle as sendRequest } from "wasi:http/outgoing-handler@0.2.12";

const NAME = "http-js";
const enc = new TextEncoder();
const dec = new TextDecoder();
const dispose = Symbol.dispose || Symbol.for("dispose");

// The 56 bytes after each line number of /big.
const FILL = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRST";

function bigLine(i) {
  return String(i).padStart(6, "0") + " " + FILL + "\n";
}

// readAll calls fn on every chunk of the request body, read as a stream.
function readAll(request, fn) {
  const body = request.consume();
  const stream = body.stream();
  for (;;) {
    let chunk;
    try {
      chunk = stream.blockingRead(65536n);
    } catch (e) {
      if (e && e.payload && e.payload.tag === "closed") break;
      if (e && e.tag === "closed") break;
      throw e;
    }
    fn(chunk);
  }
  stream[dispose]();
  body[dispose]();
}

// respond sets the outparam, then writes the chunks one
// blocking-write-and-flush (at most 4096 bytes) at a time.
function respond(out, status, headers, chunks) {
  const fields = Fields.fromList(headers.map(([k, v]) => [k, enc.encode(v)]));
  const response = new OutgoingResponse(fields);
  response.setStatusCode(status);
  const body = response.body();
  ResponseOutparam.set(out, { tag: "ok", val: response });
  const stream = body.write();
  for (const c of chunks) {
    const bytes = typeof c === "string" ? enc.encode(c) : c;
    for (let off = 0; off < bytes.length; off += 4096) {
      stream.blockingWriteAndFlush(bytes.subarray(off, off + 4096));
    }
  }
  stream[dispose]();
  OutgoingBody.finish(body, undefined);
}

// errorTag is the tag of the error-code e (thrown as a ComponentError
// whose payload is the variant, or the variant itself).
function errorTag(e) {
  const code = e && e.payload !== undefined ? e.payload : e;
  if (code && typeof code.tag === "string") return code.tag;
  throw e;
}

// upstreamURL is the request header x-upstream.
function upstreamURL(request) {
  return request
    .headers()
    .get("x-upstream")
    .map((v) => dec.decode(v))[0];
}

// upstream sends method to the URL target (with body, if any) and answers
// with what came back, or with the error-code.
function upstream(target, out, method, body) {
  const m = /^(https?):\/\/([^/?#]+)([^#]*)$/.exec(target ?? "");
  if (!m) {
    return respond(out, 400, [["content-type", "text/plain"]], ["bad x-upstream\n"]);
  }
  const fail = (tag) =>
    respond(out, 502, [["content-type", "text/plain"]], [`error-code: ${tag}\n`]);
  const req = new OutgoingRequest(
    Fields.fromList([["x-from", enc.encode("witc-test")]]),
  );
  req.setMethod({ tag: method === "POST" ? "post" : "get" });
  req.setScheme({ tag: m[1] === "https" ? "HTTPS" : "HTTP" });
  req.setAuthority(m[2]);
  req.setPathWithQuery(m[3] || "/");
  const reqBody = body ? req.body() : undefined;
  let future;
  try {
    future = sendRequest(req, undefined);
  } catch (e) {
    return fail(errorTag(e));
  }
  if (reqBody) {
    const stream = reqBody.write();
    for (let off = 0; off < body.length; off += 4096) {
      stream.blockingWriteAndFlush(body.subarray(off, off + 4096));
    }
    stream[dispose]();
    OutgoingBody.finish(reqBody, undefined);
  }
  const pollable = future.subscribe();
  pollable.block();
  pollable[dispose]();
  const got = future.get();
  future[dispose]();
  // option<result<result<incoming-response, error-code>>>
  if (!got || got.tag !== "ok") {
    throw new Error(`${NAME}: future-incoming-response.get: ${JSON.stringify(got)}`);
  }
  if (got.val.tag !== "ok") return fail(errorTag(got.val.val));
  const resp = got.val.val;
  const status = resp.status();
  const parts = [];
  readAll(resp, (c) => parts.push(c.slice()));
  resp[dispose]();
  return respond(
    out,
    200,
    [
      ["content-type", "application/octet-stream"],
      ["x-upstream-status", String(status)],
    ],
    parts,
  );
}

function methodName(m) {
  return m.tag === "other" ? m.val : m.tag.toUpperCase();
}

export const incomingHandler = {
  handle(request, out) {
    const method = methodName(request.method());
    const pathWithQuery = request.pathWithQuery() ?? "";
    const path = pathWithQuery.split("?")[0];
    const text = [["content-type", "text/plain"]];
    const route = `${method} ${path}`;
    switch (route) {
      case "GET /":
        return respond(out, 200, text, [`hello from ${NAME}\n`]);
      case "POST /echo": {
        const parts = [];
        let n = 0;
        readAll(request, (c) => {
          parts.push(c.slice());
          n += c.length;
        });
        return respond(
          out,
          200,
          [
            ["content-type", "application/octet-stream"],
            ["x-echo-len", String(n)],
          ],
          parts,
        );
      }
      case "GET /status/418":
        return respond(
          out,
          418,
          [...text, ["x-teapot", "yes"]],
          ["I'm a teapot\n"],
        );
      case "GET /big": {
        const chunks = [];
        let s = "";
        for (let i = 0; i < 4800; i++) {
          s += bigLine(i);
          if (s.length === 4096) {
            chunks.push(s);
            s = "";
          }
        }
        if (s) chunks.push(s);
        return respond(out, 200, text, chunks);
      }
      case "POST /count": {
        let n = 0;
        readAll(request, (c) => {
          n += c.length;
        });
        return respond(out, 200, text, [`${n}\n`]);
      }
      case "GET /headers": {
        const xs = request
          .headers()
          .entries()
          .map(([k, v]) => [k.toLowerCase(), dec.decode(v)])
          .filter(([k]) => k.startsWith("x-"))
          .sort((a, b) =>
            a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
          );
        const lines = [`method: ${method}`, `path: ${pathWithQuery}`];
        for (const [k, v] of xs) lines.push(`${k}: ${v}`);
        return respond(out, 200, text, [lines.join("\n") + "\n"]);
      }
      case "GET /trap":
        throw new Error(`${NAME}: /trap throws`);
      case "GET /loop":
        for (;;) {}
      case "GET /noresponse":
        return;
      case "GET /upstream":
        return upstream(upstreamURL(request), out, "GET", undefined);
      case "POST /upstream": {
        const target = upstreamURL(request);
        const parts = [];
        let n = 0;
        readAll(request, (c) => {
          parts.push(c.slice());
          n += c.length;
        });
        const body = new Uint8Array(n);
        let off = 0;
        for (const p of parts) {
          body.set(p, off);
          off += p.length;
        }
        return upstream(target, out, "POST", body);
      }
      default:
        return respond(out, 404, text, ["not found\n"]);
    }
  },
};
