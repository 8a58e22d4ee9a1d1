/*
 * ltxvfs SQLite loadable extension.
 *
 * sqlite-jdbc's native library exports no sqlite3_* symbols, so Java cannot call SQLite's C API
 * directly. A loadable extension, though, is handed SQLite's sqlite3_api_routines table when it
 * is loaded. This file only keeps that pointer where Java (dev.ltxvfs.vfs.SqliteApi) can read it
 * through the Foreign Function & Memory API; the whole VFS is written in Java.
 *
 * No sqlite3ext.h is needed: the table is treated as an opaque pointer here.
 */
/*
 * "protected", not "default": SQLite dlopens extensions RTLD_GLOBAL, so with default visibility the
 * write below would bind to the first loaded copy's variable. A second copy (a second SQLite in the
 * process, e.g. sqlite-jdbc in another class loader after a Quarkus restart) would then set the
 * first copy's slot and leave its own, the one Java reads through dlsym, empty.
 */
__attribute__((visibility("protected"))) const void *ltxvfs_api = 0;

__attribute__((visibility("default")))
int ltxvfs_init(void *db, char **err, const void *api) {
    (void)db;
    (void)err;
    ltxvfs_api = api;
    return 256; /* SQLITE_OK_LOAD_PERMANENTLY: stay loaded after the bootstrap connection closes */
}
