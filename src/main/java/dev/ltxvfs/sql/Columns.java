package dev.ltxvfs.sql;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sqlite.core.CoreStatement;

/**
 * A prepared statement's result columns, straight from SQLite: names (the {@code AS} label) and
 * declared types (null for an expression). Known before the first step, so {@code describe} and
 * a running statement read them the same way.
 */
public record Columns(List<String> names, List<String> declTypes) {
    static final Columns NONE = new Columns(List.of(), List.of());

    static Columns of(PreparedStatement ps) throws SQLException {
        CoreStatement st = (CoreStatement) ps;
        return st.pointer.safeRun((db, p) -> {
            String[] names = db.column_names(p);
            List<String> types = new ArrayList<>(names.length);
            for (int i = 0; i < names.length; i++) {
                types.add(db.column_decltype(p, i));
            }
            return new Columns(Arrays.asList(names), types);
        });
    }
}
