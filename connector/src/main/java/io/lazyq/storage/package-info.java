/**
 * Where bytes live: one seam over local disks and Hadoop file systems (HDFS, S3A and the rest).
 * Local files are mapped and shared by reference count; remote ones are read by byte ranges into
 * pooled buffers that are shared the same way. Files are published atomically where the file
 * system allows, and created only if absent where a commit protocol needs it.
 */
package io.lazyq.storage;
