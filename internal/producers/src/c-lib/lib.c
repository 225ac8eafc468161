// c-lib: producers:lib/api in C with hand-written canonical-ABI glue (there
// is no wit-bindgen here). Built by clang --target=wasm32-wasi against
// wasi-libc (preview1) and linked by wasm-component-ld, which embeds the
// world from lib.wit (--component-type) and adapts preview1 to WASI 0.2 with
// its built-in reactor adapter. It writes a line to stderr from some calls,
// so that its own adapter is exercised too.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name("producers:lib/api@0.1.0#" name)))
#define POST(name) __attribute__((export_name("cabi_post_producers:lib/api@0.1.0#" name)))

// The allocator the canonical ABI calls to pass arguments in.
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0)
    return (void *)align;
  void *p = realloc(old, new_size);
  if (!p)
    abort();
  return p;
}

// A pointer the caller passed with a zero length may not be an allocation.
static void free_arg(void *p, size_t n) {
  if (n)
    free(p);
}

// The return area of a function with more than one flat result.
static uint32_t ret[4];

EXPORT("greet")
uint32_t *greet(char *name, size_t n) {
  char *s = malloc(n + 9);
  memcpy(s, "hello, ", 7);
  memcpy(s + 7, name, n);
  s[7 + n] = '!';
  free_arg(name, n);
  ret[0] = (uint32_t)s;
  ret[1] = n + 8;
  return ret;
}

POST("greet")
void greet_post(uint32_t *r) { free((void *)r[0]); }

EXPORT("checksum")
uint32_t checksum(uint8_t *data, size_t n) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; i++) {
    a = (a + data[i]) % 65521;
    b = (b + a) % 65521;
  }
  free_arg(data, n);
  fprintf(stderr, "c-lib: checksum of %zu bytes\n", n);
  return (b << 16) | a;
}

EXPORT("fill")
uint32_t *fill(uint32_t n, uint32_t seed) {
  uint8_t *p = n ? malloc(n) : NULL;
  for (uint32_t i = 0; i < n; i++)
    p[i] = (uint8_t)(i * 7 + seed);
  ret[0] = (uint32_t)p;
  ret[1] = n;
  return ret;
}

POST("fill")
void fill_post(uint32_t *r) { free((void *)r[0]); }

EXPORT("sum")
int64_t sum(int32_t *xs, size_t n) {
  int64_t s = 0;
  for (size_t i = 0; i < n; i++)
    s += xs[i];
  free_arg(xs, n * 4);
  return s;
}

EXPORT("split")
uint32_t *split(char *s, size_t n, char *sep, size_t m) {
  size_t count = 1;
  for (size_t i = 0; m && i + m <= n;)
    if (memcmp(s + i, sep, m) == 0) {
      count++;
      i += m;
    } else
      i++;
  uint32_t *pieces = malloc(count * 8);
  size_t k = 0, start = 0;
  for (size_t i = 0; m && i + m <= n;)
    if (memcmp(s + i, sep, m) == 0) {
      size_t len = i - start;
      char *p = malloc(len + 1);
      memcpy(p, s + start, len);
      pieces[2 * k] = (uint32_t)p;
      pieces[2 * k + 1] = len;
      k++;
      i += m;
      start = i;
    } else
      i++;
  size_t len = n - start;
  char *p = malloc(len + 1);
  memcpy(p, s + start, len);
  pieces[2 * k] = (uint32_t)p;
  pieces[2 * k + 1] = len;
  free_arg(s, n);
  free_arg(sep, m);
  ret[0] = (uint32_t)pieces;
  ret[1] = count;
  return ret;
}

POST("split")
void split_post(uint32_t *r) {
  uint32_t *pieces = (uint32_t *)r[0];
  for (uint32_t i = 0; i < r[1]; i++)
    free((void *)pieces[2 * i]);
  free(pieces);
}

EXPORT("translate")
uint32_t *translate(int32_t x, int32_t y, char *label, size_t n, int32_t dx, int32_t dy) {
  char *l = malloc(n + 1);
  memcpy(l, label, n);
  l[n] = '\'';
  free_arg(label, n);
  ret[0] = (uint32_t)(x + dx);
  ret[1] = (uint32_t)(y + dy);
  ret[2] = (uint32_t)l;
  ret[3] = n + 1;
  return ret;
}

POST("translate")
void translate_post(uint32_t *r) { free((void *)r[2]); }

// The resource: a rep is a pointer to this struct.
struct counter {
  uint32_t value;
};

__attribute__((import_module("[export]producers:lib/api@0.1.0"), import_name("[resource-new]counter")))
extern int32_t counter_new(struct counter *rep);

EXPORT("[constructor]counter")
int32_t counter_constructor(uint32_t start) {
  struct counter *c = malloc(sizeof *c);
  c->value = start;
  fprintf(stderr, "c-lib: new counter at %u\n", start);
  return counter_new(c);
}

// A borrow of the component's own resource arrives as the rep.
EXPORT("[method]counter.add")
uint32_t counter_add(struct counter *c, uint32_t n) { return c->value += n; }

EXPORT("[method]counter.get")
uint32_t counter_get(struct counter *c) { return c->value; }

EXPORT("[dtor]counter")
void counter_dtor(struct counter *c) {
  fprintf(stderr, "c-lib: drop counter at %u\n", c->value);
  free(c);
}
