package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import java.util.Arrays;

/**
 * The files a {@link PageIndex} refers to by small int id, with the number of pages each still
 * serves. A file whose pages were all superseded or truncated away loses its slot, so a
 * long-polled index keeps only the files it needs and ids stay small.
 *
 * <p>Instances are drafts while a new version is composed, then frozen inside an
 * {@link IndexSnapshot}; {@link #copy} starts the next draft.
 */
final class FileTable {

    private LtxFileInfo[] files;
    private int[] live;

    FileTable() {
        this(new LtxFileInfo[8], new int[8]);
    }

    private FileTable(LtxFileInfo[] files, int[] live) {
        this.files = files;
        this.live = live;
    }

    FileTable copy() {
        return new FileTable(files.clone(), live.clone());
    }

    LtxFileInfo get(int id) {
        return files[id];
    }

    int capacity() {
        return files.length;
    }

    /** Gives {@code file} a free id; ids of files dropped in earlier versions are reused. */
    int add(LtxFileInfo file) {
        for (int i = 0; i < files.length; i++) {
            if (files[i] == null) {
                files[i] = file;
                live[i] = 0;
                return i;
            }
        }
        int id = files.length;
        files = Arrays.copyOf(files, id * 2);
        live = Arrays.copyOf(live, id * 2);
        files[id] = file;
        return id;
    }

    /** One more page now served by {@code id}. */
    void gained(int id) {
        live[id]++;
    }

    /** One page fewer served by {@code id} (-1, meaning "no file", is ignored). */
    void lost(int id) {
        if (id >= 0) {
            live[id]--;
        }
    }

    int livePages(int id) {
        return live[id];
    }

    /**
     * Frees the ids of files that serve no page. Call only once a batch is complete: a file
     * added but not yet filled would be dropped.
     */
    void sweep() {
        for (int i = 0; i < files.length; i++) {
            if (files[i] != null && live[i] == 0) {
                files[i] = null;
            }
        }
    }
}
