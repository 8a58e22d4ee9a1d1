package dev.ltxvfs.sql;

/**
 * One read query.
 *
 * @param params null, a {@code List} (positional {@code ?}) or a {@code Map} (named {@code :name},
 *     {@code @name}, {@code $name}); values are JSON-ish: numbers, strings, booleans, null, and
 *     {@code byte[]} for blobs
 * @param at null for the live view, else a point in time as {@code PRAGMA litestream_time} takes it
 * @param maxRows null for the configured default
 */
public record QueryRequest(String database, String sql, Object params, String at, Integer maxRows) {}
