package io.lazyq.table;

/**
 * What {@code _lazyq_log/_last_checkpoint} says of the latest checkpoint, as Delta's file of that
 * name does: which version it holds, and its size and CRC-32, so that a reader finds a damaged
 * checkpoint before trusting it. Only a hint: a reader that finds none, or a stale one, lists the
 * log instead.
 *
 * @param version the checkpoint's version
 * @param size its length in bytes
 * @param files how many files the version holds
 * @param crc32 the CRC-32 of its bytes
 */
public record CheckpointHint(long version, long size, long files, long crc32) {}
