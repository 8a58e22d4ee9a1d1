package dev.ltxvfs.store;

import java.util.concurrent.atomic.LongAdder;

/** Counts what a store asked of its backend: LIST and GET requests, bytes received, failures. */
public final class StoreStats {
    public final LongAdder lists = new LongAdder();
    public final LongAdder gets = new LongAdder();
    public final LongAdder bytes = new LongAdder();
    public final LongAdder retries = new LongAdder();
    public final LongAdder failures = new LongAdder();

    @Override
    public String toString() {
        return "lists=" + lists.sum() + " gets=" + gets.sum() + " bytes=" + bytes.sum()
                + " retries=" + retries.sum() + " failures=" + failures.sum();
    }
}
