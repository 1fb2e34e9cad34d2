/** Tests of the shape of the code base itself: module dependencies, package roles, cycles. */
package io.lazyq.architecture;
