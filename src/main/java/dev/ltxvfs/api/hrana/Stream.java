package dev.ltxvfs.api.hrana;

import dev.ltxvfs.sql.Session;
import java.util.HashMap;
import java.util.Map;

/**
 * One libSQL stream on this instance: its request counter, its SQL stored with {@code store_sql},
 * and, while a read transaction is open, the {@link Session} pinned at its snapshot. Between
 * transactions it holds no connection. Its requests come one at a time (each needs the baton the
 * previous one answered), so the fields are guarded by {@link Streams}' claim, not by locks.
 */
final class Stream {
    final String id;
    final String database;
    final Map<Integer, String> storedSql = new HashMap<>();
    /** The counter the next request's baton must carry. */
    long seq;
    /** Null outside a transaction, "" in one that has not read yet, else its pinned TXID. */
    String txid;
    Session session;
    volatile long lastUsedMillis;
    volatile boolean busy;

    Stream(String id, String database, long seq, String txid) {
        this.id = id;
        this.database = database;
        this.seq = seq;
        this.txid = txid;
        this.lastUsedMillis = System.currentTimeMillis();
    }
}
