/*
 * Which libm does each engine's Math use? The system's glibc against the outputs bench/probes/cross-engine-bits.ts
 * dumped (XBITS_DUMP=folder: input-<fn>.f64 and <engine>-<fn>.f64, 100 000 raw float64 each): per function, how many
 * of each engine's outputs differ from glibc's, bit for bit. README ("Checkpoints": The same bits in another engine).
 *
 *   XBITS_DUMP=/tmp/xbits node --import ./bin/register-source.mjs bench/probes/cross-engine-bits.ts
 *   gcc -O0 -fno-builtin -o /tmp/xbits-glibc bench/probes/cross-engine-glibc.c -lm && /tmp/xbits-glibc /tmp/xbits
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#define N 100000
static double in[N], mine[N], theirs[N];

static int readAll(const char *dir, const char *file, double *to) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t n = fread(to, sizeof(double), N, f);
  fclose(f);
  return n == N;
}

/* The function test/lib/cross-engine-jobs.ts's LIBM names, as glibc computes it ('pow-adam': 0.999 ** floor(t)). */
static double glibc(const char *name, double x) {
  if (!strcmp(name, "exp")) return exp(x);
  if (!strcmp(name, "log") || !strcmp(name, "log-wide")) return log(x);
  if (!strcmp(name, "cos") || !strcmp(name, "cos-wide")) return cos(x);
  if (!strcmp(name, "sin")) return sin(x);
  if (!strcmp(name, "tanh")) return tanh(x);
  if (!strcmp(name, "log1p")) return log1p(x);
  if (!strcmp(name, "expm1")) return expm1(x);
  if (!strcmp(name, "sqrt")) return sqrt(x);
  return pow(0.999, floor(x));
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s XBITS_DUMP-folder\n", argv[0]); return 2; }
  const char *names[] = {"exp", "log", "log-wide", "cos", "cos-wide", "sin", "tanh", "log1p", "expm1", "sqrt", "pow-adam"};
  const char *engines[] = {"node", "chromium", "firefox", "webkit"};
  char file[256];
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    snprintf(file, sizeof file, "input-%s.f64", names[k]);
    if (!readAll(argv[1], file, in)) { fprintf(stderr, "no %s/%s\n", argv[1], file); return 1; }
    for (int i = 0; i < N; i++) mine[i] = glibc(names[k], in[i]);
    printf("%-9s", names[k]);
    for (size_t e = 0; e < sizeof engines / sizeof *engines; e++) {
      snprintf(file, sizeof file, "%s-%s.f64", engines[e], names[k]);
      if (!readAll(argv[1], file, theirs)) { printf("  %s: -", engines[e]); continue; }
      int differ = 0;
      for (int i = 0; i < N; i++) differ += memcmp(&mine[i], &theirs[i], sizeof(double)) != 0;
      printf("  %s %6d", engines[e], differ);
    }
    printf("   (of %d outputs differing from glibc's)\n", N);
  }
  return 0;
}
