// http-fetch: the routes of http-js.js through StarlingMonkey's fetch event
// (addEventListener('fetch', e => e.respondWith(...))), built by
// componentize-js for the world wasi:http/proxy@0.2.12. The module exports
// nothing: componentize-js's fetch-event feature implements
// wasi:http/incoming-handler and hands the request to the listener as a
// Request; Response bodies are ReadableStreams.
//
// Routes (see ../NOTES.md):
//   GET  /            200 text/plain "hello from http-fetch\n"
//   POST /echo        200, the request body back, x-echo-len: <bytes>
//   GET  /status/418  418, x-teapot: yes
//   GET  /big         200, 300 KiB (4800 lines of 64 bytes), a stream of 4 KiB chunks
//   POST /count       200, "<bytes of the request body>\n", read as a stream
//   GET  /headers     200, method, path with query, the x-* headers sorted
//   GET  /trap        the listener throws
//   GET  /loop        the listener never returns
//   GET  /noresponse  the listener returns without calling respondWith
//   anything else     404 "not found\n"
const NAME = "http-fetch";
const enc = new TextEncoder();

const FILL = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRST";

function bigLine(i) {
  return String(i).padStart(6, "0") + " " + FILL + "\n";
}

const text = { "content-type": "text/plain" };

async function countBody(req) {
  let n = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
  }
  return n;
}

function bigStream() {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i >= 4800) {
        controller.close();
        return;
      }
      let s = "";
      for (let j = 0; j < 64; j++) s += bigLine(i++);
      controller.enqueue(enc.encode(s));
    },
  });
}

async function handle(req) {
  const url = new URL(req.url);
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case "GET /":
      return new Response(`hello from ${NAME}\n`, { headers: text });
    case "POST /echo": {
      const body = new Uint8Array(await req.arrayBuffer());
      return new Response(body, {
        headers: {
          "content-type": "application/octet-stream",
          "x-echo-len": String(body.length),
        },
      });
    }
    case "GET /status/418":
      return new Response("I'm a teapot\n", {
        status: 418,
        headers: { ...text, "x-teapot": "yes" },
      });
    case "GET /big":
      return new Response(bigStream(), { headers: text });
    case "POST /count":
      return new Response(`${await countBody(req)}\n`, { headers: text });
    case "GET /headers": {
      const xs = [];
      for (const [k, v] of req.headers) {
        if (k.startsWith("x-")) xs.push([k, v]);
      }
      xs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const lines = [`method: ${req.method}`, `path: ${url.pathname}${url.search}`];
      for (const [k, v] of xs) lines.push(`${k}: ${v}`);
      return new Response(lines.join("\n") + "\n", { headers: text });
    }
    default:
      return new Response("not found\n", { status: 404, headers: text });
  }
}

addEventListener("fetch", (event) => {
  const path = new URL(event.request.url).pathname;
  if (event.request.method === "GET") {
    if (path === "/trap") throw new Error(`${NAME}: /trap throws`);
    if (path === "/loop") for (;;) {}
    if (path === "/noresponse") return;
  }
  event.respondWith(handle(event.request));
});
