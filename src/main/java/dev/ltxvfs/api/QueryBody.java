package dev.ltxvfs.api;

/**
 * The body of {@code POST /v1/databases/{db}/query}.
 *
 * @param params an array (positional {@code ?}) or an object (named {@code :name}); blobs as
 *     {@code {"base64": "..."}}
 * @param at a point in time as {@code PRAGMA litestream_time} takes it; absent for the live view
 * @param maxRows at most this many rows (never more than the configured limit)
 */
public record QueryBody(String sql, Object params, String at, Integer maxRows) {}
