/** Deterministic synthetic sensor data, for the demo, the benchmarks and the tests. */
package io.lazyq.sample;
