// c-app: a wasi:cli command in C that imports producers:lib/api through
// hand-written canonical-ABI glue (the flat signatures are in the comments).
// Built like c-hello, with the import world embedded by wasm-component-ld
// (--component-type); composed with c-lib and with qjs-lib by witc compose.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("producers:lib/api@0.1.0"), import_name(name)))

// Results that are lists or strings are lowered into this module's memory
// through its cabi_realloc.
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

struct str {
  char *ptr;
  uint32_t len;
};

// greet: (ptr, len, ret) -> ()
IMPORT("greet") extern void lib_greet(const char *, uint32_t, struct str *);
// checksum: (ptr, len) -> i32
IMPORT("checksum") extern uint32_t lib_checksum(const uint8_t *, uint32_t);
// fill: (n, seed, ret) -> ()
IMPORT("fill") extern void lib_fill(uint32_t, uint32_t, struct str *);
// sum: (ptr, len) -> i64
IMPORT("sum") extern int64_t lib_sum(const int32_t *, uint32_t);
// split: (ptr, len, ptr, len, ret) -> ()
IMPORT("split") extern void lib_split(const char *, uint32_t, const char *, uint32_t, struct str *);
struct point {
  int32_t x, y;
  struct str label;
};
// translate: (x, y, label ptr, label len, dx, dy, ret) -> ()
IMPORT("translate") extern void lib_translate(int32_t, int32_t, const char *, uint32_t, int32_t, int32_t, struct point *);
IMPORT("[constructor]counter") extern int32_t counter_new(uint32_t);
IMPORT("[method]counter.add") extern uint32_t counter_add(int32_t, uint32_t);
IMPORT("[method]counter.get") extern uint32_t counter_get(int32_t);
IMPORT("[resource-drop]counter") extern void counter_drop(int32_t);

static uint32_t checksum(const uint8_t *p, uint32_t n) { return lib_checksum(n ? p : (const uint8_t *)1, n); }

static void greet(const char *name) {
  struct str r;
  lib_greet(name, strlen(name), &r);
  printf("greet(\"%s\") = \"%.*s\"\n", name, (int)r.len, r.ptr);
  free(r.ptr);
}

int main(int argc, char **argv) {
  const char *me = "c-app";
  printf("%s: start\n", me);
  for (int i = 1; i < argc; i++)
    printf("arg %d: %s\n", i, argv[i]);
  const char *g = getenv("GREETING");
  printf(g ? "GREETING=%s\n" : "GREETING is not set\n", g);

  greet("wörld");
  greet("");

  uint8_t *big = malloc(100000);
  for (int i = 0; i < 100000; i++)
    big[i] = (uint8_t)(i * 7);
  printf("checksum(100000 bytes) = 0x%08x\n", checksum(big, 100000));
  free(big);
  printf("checksum(\"Wikipedia\") = 0x%08x\n", checksum((const uint8_t *)"Wikipedia", 9));
  printf("checksum(0 bytes) = 0x%08x\n", checksum(NULL, 0));

  struct str f;
  lib_fill(5, 250, &f);
  printf("fill(5, 250) = [");
  for (uint32_t i = 0; i < f.len; i++)
    printf(i ? " %u" : "%u", (uint8_t)f.ptr[i]);
  printf("]\n");
  free(f.ptr);
  lib_fill(100000, 3, &f);
  printf("fill(100000, 3): %u bytes, checksum 0x%08x\n", f.len, checksum((uint8_t *)f.ptr, f.len));
  free(f.ptr);

  int32_t xs[] = {1, -2, 2147483647, 2147483647, -2147483647 - 1};
  printf("sum([1 -2 2147483647 2147483647 -2147483648]) = %lld\n", (long long)lib_sum(xs, 5));
  printf("sum([]) = %lld\n", (long long)lib_sum((const int32_t *)4, 0));

  struct str parts;
  const char *s = "a,b,,c";
  lib_split(s, strlen(s), ",", 1, &parts);
  printf("split(\"a,b,,c\", \",\") = [");
  struct str *ps = (struct str *)parts.ptr;
  for (uint32_t i = 0; i < parts.len; i++) {
    printf(i ? " \"%.*s\"" : "\"%.*s\"", (int)ps[i].len, ps[i].ptr);
    if (ps[i].len) // an empty string's pointer is not an allocation
      free(ps[i].ptr);
  }
  printf("]\n");
  free(parts.ptr);

  struct point p;
  lib_translate(1, 2, "p", 1, 10, -20, &p);
  printf("translate({1 2 \"p\"}, 10, -20) = {%d %d \"%.*s\"}\n", p.x, p.y, (int)p.label.len, p.label.ptr);
  free(p.label.ptr);

  int32_t c = counter_new(5);
  uint32_t a = counter_add(c, 3);
  uint32_t b = counter_add(c, 4);
  printf("counter(5): add(3) = %u, add(4) = %u, get() = %u\n", a, b, counter_get(c));
  counter_drop(c);

  fprintf(stderr, "%s: a line on stderr\n", me);
  if (argc > 1 && strcmp(argv[1], "fail") == 0) {
    fprintf(stderr, "%s: failing with status 2\n", me);
    return 2;
  }
  printf("%s: done\n", me);
  return 0;
}
