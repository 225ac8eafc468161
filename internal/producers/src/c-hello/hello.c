// c-hello: a wasi:cli command in C, built by clang --target=wasm32-wasi
// against wasi-libc (preview1) and linked by wasm-component-ld with its
// built-in command adapter. It prints its arguments and $GREETING, writes to
// stderr, and exits with status 3 when its first argument is "fail" (WASI
// 0.2 has only exit(ok) and exit(err): a runner reports 1). With first
// argument "argv0" it also prints the program name it was given.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  printf("c-hello: %d args\n", argc - 1);
  for (int i = 1; i < argc; i++)
    printf("arg %d: %s\n", i, argv[i]);
  if (argc > 1 && strcmp(argv[1], "argv0") == 0)
    printf("argv[0]: %s\n", argv[0]);
  const char *g = getenv("GREETING");
  if (g)
    printf("GREETING=%s\n", g);
  else
    printf("GREETING is not set\n");
  fprintf(stderr, "c-hello: a line on stderr\n");
  if (argc > 1 && strcmp(argv[1], "fail") == 0) {
    fprintf(stderr, "c-hello: failing with status 3\n");
    return 3;
  }
  printf("c-hello: done\n");
  return 0;
}
