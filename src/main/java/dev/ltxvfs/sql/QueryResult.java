package dev.ltxvfs.sql;

import java.util.List;

/** A whole answer, read in one snapshot of the database (TXID {@code txid}, taken at {@code time}). */
public record QueryResult(List<String> columns, List<String> types, List<Object[]> rows, String txid, String time,
        boolean truncated, long elapsedMs) {}
