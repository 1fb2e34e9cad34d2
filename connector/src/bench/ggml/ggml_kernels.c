// The "ggml" column of docs/BENCHMARKS.md's kernel tables: ggml's own conversions, one thread,
// 2^18 values per call (1 MiB of float32, cache-resident as in DecodeBench/EncodeBench), GB/s of
// float32 (output for to_float, input for from_float) per second of this thread's CPU time
// (CLOCK_THREAD_CPUTIME_ID). Per kernel: calls for 1 s of CPU time after 1 s of warm-up, five
// times; prints the median and the range as TSV (kernel, GB/s median, min, max).
//
// Build against a ggml checkout built with cmake (static libraries), e.g.
//   cmake -S ggml -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DGGML_OPENMP=OFF
//   cmake --build build --target ggml-cpu ggml-base
//   gcc -O2 -I ggml/include ggml_kernels.c build/src/libggml-cpu.a build/src/libggml-base.a \
//       -lstdc++ -lm -lpthread -o ggml_kernels
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ggml.h"
#include "ggml-cpu.h"

#define N (1 << 18)
#define REPEATS 5

static double cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

// DecodeBench.signal's shape: a slow sine plus noise (here from a fixed xorshift, Box-Muller).
static void signal(float *x) {
  uint64_t s = 42;
  for (int i = 0; i < N; i++) {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    double u1 = ((s >> 11) + 1) * 0x1p-53;
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    double u2 = (s >> 11) * 0x1p-53;
    double g = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
    x[i] = (float) (sin(i * 1e-3) * 0.5 + g * 0.05);
  }
}

typedef void (*kernel_fn)(const void *src, void *dst);
static const void *g_src;
static void *g_dst;
static ggml_to_float_t g_to;
static ggml_from_float_t g_from;

static void run_to(const void *s, void *d) { g_to(s, d, N); }
static void run_from(const void *s, void *d) { g_from(s, d, N); }
static void run_f16(const void *s, void *d) { ggml_cpu_fp16_to_fp32(s, d, N); }
static void run_bf16(const void *s, void *d) { ggml_cpu_bf16_to_fp32(s, d, N); }
static void run_copy(const void *s, void *d) { memcpy(d, s, 4 * (size_t) N); }

static int cmp(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void measure(const char *name, kernel_fn f, const void *src, void *dst) {
  double gbps[REPEATS];
  for (double end = cpu_seconds() + 1; cpu_seconds() < end;) {
    f(src, dst);
  }
  for (int r = 0; r < REPEATS; r++) {
    long calls = 0;
    double start = cpu_seconds(), now;
    do {
      f(src, dst);
      calls++;
    } while ((now = cpu_seconds()) - start < 1);
    gbps[r] = 4.0 * N * calls / (now - start) / 1e9;
  }
  qsort(gbps, REPEATS, sizeof gbps[0], cmp);
  printf("%s\t%.1f\t%.1f\t%.1f\n", name, gbps[REPEATS / 2], gbps[0], gbps[REPEATS - 1]);
  fflush(stdout);
}

int main(void) {
  ggml_cpu_init();
  float *x = malloc(4 * (size_t) N);
  float *out = malloc(4 * (size_t) N);
  void *q = malloc(4 * (size_t) N);
  signal(x);
  printf("kernel\tgbps_median\tgbps_min\tgbps_max\n");

  enum ggml_type quant[] = {GGML_TYPE_Q8_0, GGML_TYPE_Q4_0};
  for (int t = 0; t < 2; t++) {
    char name[64];
    g_from = ggml_get_type_traits_cpu(quant[t])->from_float;
    snprintf(name, sizeof name, "encode %s (ggml-cpu from_float)", ggml_type_name(quant[t]));
    measure(name, run_from, x, q);
    g_from = ggml_get_type_traits(quant[t])->from_float_ref;
    snprintf(name, sizeof name, "encode %s (from_float_ref)", ggml_type_name(quant[t]));
    measure(name, run_from, x, q);
    g_to = ggml_get_type_traits(quant[t])->to_float;
    snprintf(name, sizeof name, "decode %s (to_float)", ggml_type_name(quant[t]));
    measure(name, run_to, q, out);
  }
  ggml_fp32_to_fp16_row(x, q, N);
  measure("decode f16 (ggml_cpu_fp16_to_fp32)", run_f16, q, out);
  ggml_fp32_to_bf16_row(x, q, N);
  measure("decode bf16 (ggml_cpu_bf16_to_fp32)", run_bf16, q, out);
  measure("copy (memcpy of the float32 output)", run_copy, x, out);
  return 0;
}
