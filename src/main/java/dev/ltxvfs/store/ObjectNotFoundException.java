package dev.ltxvfs.store;

/** The object is not (or no longer) in the store, e.g. compacted away and deleted. */
public class ObjectNotFoundException extends StoreException {
    public ObjectNotFoundException(String message) {
        super(message);
    }
}
