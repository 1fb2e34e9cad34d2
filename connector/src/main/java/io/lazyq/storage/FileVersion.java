package io.lazyq.storage;

import java.io.Serializable;

/**
 * Which version of a file a listing saw: enough to tell that a file read later is the same bytes,
 * so that its metadata can be taken from a cache without a request, and so that a reader can open
 * it without asking its length again.
 *
 * @param length the size in bytes
 * @param modified the modification time, in milliseconds since the epoch
 * @param etag the object's entity tag where the store has one (S3), else null: it changes with
 *     every rewrite, even one of the same length within the same second
 */
public record FileVersion(long length, long modified, String etag) implements Serializable {}
