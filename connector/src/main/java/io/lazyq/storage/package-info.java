/** Where bytes live: mapped regions of files shared by reference count, and files published atomically. */
package io.lazyq.storage;
