package dev.ltxvfs.api.hrana;

import dev.ltxvfs.sql.SqlText;
import java.util.ArrayList;
import java.util.List;

/** Splits SQL text at top-level semicolons (not inside strings, quoted names or comments). */
final class Statements {
    private Statements() {}

    static List<String> split(String sql) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = sql.length();
        int depth = 0; // CREATE TRIGGER bodies hold semicolons, but the guard refuses those anyway
        boolean code = false; // anything but whitespace and comments since the last split
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            boolean comment = (c == '-' || c == '/') && i + 1 < n && sql.charAt(i + 1) == (c == '-' ? '-' : '*');
            if (!comment && c != ';' && !Character.isWhitespace(c)) {
                code = true;
            }
            int skip = SqlText.endOfQuotedOrComment(sql, i);
            if (skip >= 0) {
                i = skip;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ';' && depth == 0) {
                if (code) {
                    add(out, sql.substring(start, i));
                }
                code = false;
                start = i + 1;
            }
        }
        if (start < n && code) {
            add(out, sql.substring(start));
        }
        return out;
    }

    private static void add(List<String> out, String stmt) {
        if (!stmt.isBlank()) {
            out.add(stmt.strip());
        }
    }
}
