/** What every LazyQ module shares: the exception for invalid input, and closing many resources at once. */
package io.lazyq;
