package dev.ltxvfs.sql;

/** Lexical help shared by everything that scans SQL text without parsing it. */
public final class SqlText {
    private SqlText() {}

    /**
     * If a string literal, quoted name ({@code "x"}, {@code `x`}, {@code [x]}) or comment starts at
     * {@code i}, the index of its last character (the end of the text when unterminated); else -1.
     * A doubled quote inside a literal simply starts the next quoted run, which skips the same way.
     */
    public static int endOfQuotedOrComment(String sql, int i) {
        int n = sql.length();
        char c = sql.charAt(i);
        if (c == '\'' || c == '"' || c == '`' || c == '[') {
            int j = sql.indexOf(c == '[' ? ']' : c, i + 1);
            return j < 0 ? n - 1 : j;
        }
        if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
            int j = sql.indexOf('\n', i);
            return j < 0 ? n - 1 : j;
        }
        if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
            int j = sql.indexOf("*/", i + 2);
            return j < 0 ? n - 1 : j + 1;
        }
        return -1;
    }
}
