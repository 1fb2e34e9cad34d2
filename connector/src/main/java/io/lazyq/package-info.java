/**
 * What every LazyQ module shares: the exception for invalid input, the state of a writer that
 * publishes only on commit, and closing many resources at once.
 */
package io.lazyq;
