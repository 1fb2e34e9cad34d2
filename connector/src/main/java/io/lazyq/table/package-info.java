/**
 * The log of a table directory: one immutable JSON entry per version under {@code _lazyq_log/},
 * each created only if absent, whose replay gives the files of every version. Writers append
 * versions, racing safely; readers pin one version and read exactly its files.
 */
package io.lazyq.table;
