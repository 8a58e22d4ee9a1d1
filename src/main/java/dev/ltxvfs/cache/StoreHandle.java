package dev.ltxvfs.cache;

import dev.ltxvfs.store.ReplicaStore;

/**
 * A replica as the cache knows it: the store plus a small id that goes into every key, because
 * two replicas can hold files with the same name and level. Get one from
 * {@link PageCache#register}, once per replica, and keep it.
 */
public record StoreHandle(int id, ReplicaStore store) {
}
