package dev.ltxvfs.api.hrana;

import dev.ltxvfs.api.LtxvfsConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The libSQL streams open on this instance, and the batons that continue them.
 *
 * <p>A request with no baton opens a stream; every answer carries the next baton, signed (HMAC-SHA256
 * with {@code ltxvfs.libsql.baton-secret}) and counted, so it cannot be forged, and a baton used once
 * is refused when used again (BATON_REPLAYED). A baton also carries the TXID its open read
 * transaction is pinned at, so an instance that has never seen the stream (its previous request
 * ran elsewhere) continues it on exactly that snapshot, or fails saying the state is gone. Idle
 * streams close after {@code stream-idle-timeout} (their batons then answer STREAM_EXPIRED, on
 * every instance, from the issue time they carry); at most {@code max-streams} are open at once.
 */
@Singleton
public class Streams {
    private final Map<String, Stream> open = new ConcurrentHashMap<>();
    /** Streams that ended here, until their last baton would have expired anyway: a later use is a replay. */
    private final Map<String, Long> ended = new ConcurrentHashMap<>();
    private final Baton.Signer signer;
    private final long idleMillis;
    private final int max;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService sweeper;

    Streams(LtxvfsConfig config) {
        LtxvfsConfig.Libsql c = config.libsql();
        signer = new Baton.Signer(c.batonSecret().map(s -> s.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            byte[] key = new byte[32];
            random.nextBytes(key);
            return key;
        }));
        idleMillis = c.streamIdleTimeout().toMillis();
        max = c.maxStreams();
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ltxvfs-libsql-streams");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, Math.min(1000, idleMillis / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The stream a request runs on, claimed until {@link #release} or {@link #end}: a new one for a
     * null baton, else the one the baton continues (adopted when its last request ran elsewhere).
     */
    Stream claim(String database, String baton) {
        if (baton == null) {
            return claim(add(new Stream(HexFormat.of().formatHex(randomBytes()), database, 0, null)), 0);
        }
        Baton b = signer.verify(baton);
        if (!b.database().equals(database)) {
            throw new HranaException("BATON_INVALID", "this baton belongs to a stream of database '" + b.database() + "'");
        }
        if (System.currentTimeMillis() - b.issuedMillis() > idleMillis) {
            throw expired();
        }
        if (ended.containsKey(b.stream())) {
            throw replayed();
        }
        Stream s = open.get(b.stream());
        if (s == null) { // its last request ran on another instance (or this one restarted)
            s = add(new Stream(b.stream(), database, b.seq(), b.txid()));
        }
        return claim(s, b.seq());
    }

    private Stream claim(Stream s, long seq) {
        synchronized (s) {
            if (s.busy || s.seq != seq || !open.containsKey(s.id)) {
                throw replayed();
            }
            s.busy = true;
            s.seq++;
            return s;
        }
    }

    private synchronized Stream add(Stream s) {
        Stream existing = open.get(s.id);
        if (existing != null) {
            return existing;
        }
        if (open.size() >= max) {
            throw new HranaException(503, "TOO_MANY_STREAMS", "this instance has " + max
                    + " libSQL streams open (ltxvfs.libsql.max-streams); close streams or retry shortly");
        }
        open.put(s.id, s);
        return s;
    }

    /** Ends the request: the stream stays open, and the returned baton continues it. */
    String release(Stream s) {
        long now = System.currentTimeMillis();
        s.lastUsedMillis = now;
        String baton = signer.sign(new Baton(s.id, s.seq, s.database, s.txid, now));
        s.busy = false;
        return baton;
    }

    /** Closes the stream (a {@code close} request, or a failed request); its batons are refused from now on. */
    void end(Stream s) {
        if (open.remove(s.id, s)) {
            ended.put(s.id, System.currentTimeMillis() + idleMillis);
        }
        if (s.session != null) {
            s.session.close();
            s.session = null;
        }
    }

    int openCount() {
        return open.size();
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        for (Stream s : open.values()) {
            if (!s.busy && now - s.lastUsedMillis > idleMillis) {
                synchronized (s) {
                    if (!s.busy) {
                        end(s);
                    }
                }
            }
        }
        ended.values().removeIf(until -> until < now);
    }

    private byte[] randomBytes() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        return b;
    }

    private HranaException expired() {
        return new HranaException("STREAM_EXPIRED", "the stream was idle longer than " + idleMillis
                + " ms (ltxvfs.libsql.stream-idle-timeout) and is closed; open a new one");
    }

    private static HranaException replayed() {
        return new HranaException("BATON_REPLAYED", "this baton was already used: each baton continues its stream once");
    }

    @PreDestroy
    void close() {
        sweeper.shutdownNow();
        open.values().forEach(this::end);
    }
}
