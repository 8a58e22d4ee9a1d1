package dev.ltxvfs.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides, before SQLite sees it, whether a statement only reads. This is one layer of several:
 * connections are also opened read-only with ATTACH disabled (limit 0) and extension loading off,
 * and the VFS refuses every write. The guard gives the clear "read-only" answer up front and shuts
 * the doors those layers leave open: VACUUM INTO and temp tables write local files.
 */
public final class SqlGuard {
    private static final Set<String> READ_PRAGMAS = Set.of(
            "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
            "foreign_key_list", "foreign_key_check", "database_list", "collation_list", "function_list",
            "module_list", "pragma_list", "compile_options", "page_size", "page_count", "freelist_count",
            "user_version", "schema_version", "application_id", "encoding", "integrity_check", "quick_check",
            "data_version", "auto_vacuum", "litestream_txid", "litestream_lag", "litestream_time");
    /** Pragmas whose parenthesised argument names what to read, not a new value. */
    private static final Set<String> ARGUMENT_READ_PRAGMAS = Set.of(
            "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
            "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check");
    /** Every word an SQLite statement can start with; SQLite's grammar accepts nothing else. */
    private static final Set<String> STATEMENT_KEYWORDS = Set.of("ALTER", "ANALYZE", "ATTACH", "BEGIN", "COMMIT",
            "CREATE", "DELETE", "DETACH", "DROP", "END", "EXPLAIN", "INSERT", "PRAGMA", "REINDEX", "RELEASE", "REPLACE",
            "ROLLBACK", "SAVEPOINT", "SELECT", "UPDATE", "VACUUM", "VALUES", "WITH");
    private static final Set<String> STATEMENT_WORDS = Set.of("SELECT", "VALUES", "INSERT", "UPDATE", "DELETE", "REPLACE");

    private SqlGuard() {}

    /** Throws {@link QueryException} (READ_ONLY or BAD_REQUEST) unless {@code sql} is one read. */
    public static void requireRead(String sql) {
        List<Token> tokens = tokenize(sql);
        if (tokens.isEmpty()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "the SQL is empty");
        }
        int end = tokens.size();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).text.equals(";") && tokens.get(i).depth == 0) {
                if (i + 1 < tokens.size()) {
                    throw new QueryException(QueryException.Kind.BAD_REQUEST, "one statement per query, please");
                }
                end = i;
            }
        }
        List<Token> stmt = tokens.subList(0, end);
        for (int i = 0; i + 1 < stmt.size(); i++) {
            if (stmt.get(i).word("LOAD_EXTENSION") && stmt.get(i + 1).text.equals("(")) {
                throw readOnly("load_extension is not allowed");
            }
        }
        int i = 0;
        if (stmt.get(0).word("EXPLAIN")) {
            i = 1;
            if (i + 1 < stmt.size() && stmt.get(i).word("QUERY") && stmt.get(i + 1).word("PLAN")) {
                i += 2;
            }
        }
        if (i >= stmt.size()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "EXPLAIN of nothing");
        }
        String first = stmt.get(i).upper();
        switch (first) {
            case "SELECT", "VALUES" -> { }
            case "WITH" -> requireSelectAfterWith(stmt, i + 1);
            case "PRAGMA" -> requireReadPragma(stmt.subList(i + 1, stmt.size()));
            default -> {
                if (!STATEMENT_KEYWORDS.contains(first)) {
                    return; // not a statement SQLite knows: let it answer with its syntax error
                }
                throw readOnly(first + " statements are not allowed");
            }
        }
    }

    /** True for {@code EXPLAIN ...} and {@code EXPLAIN QUERY PLAN ...}. */
    public static boolean isExplain(String sql) {
        List<Token> tokens = tokenize(sql);
        return !tokens.isEmpty() && tokens.getFirst().word("EXPLAIN");
    }

    private static void requireSelectAfterWith(List<Token> stmt, int from) {
        for (int i = from; i < stmt.size(); i++) {
            Token t = stmt.get(i);
            if (t.depth == 0 && STATEMENT_WORDS.contains(t.upper())
                    && !(i + 1 < stmt.size() && stmt.get(i + 1).text.equals("("))) {
                if (t.word("SELECT") || t.word("VALUES")) {
                    return;
                }
                throw readOnly(t.upper() + " statements are not allowed");
            }
        }
        throw new QueryException(QueryException.Kind.BAD_REQUEST, "WITH without a SELECT");
    }

    private static void requireReadPragma(List<Token> rest) {
        if (rest.isEmpty()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "PRAGMA needs a name");
        }
        int n = 0;
        if (rest.size() > 2 && rest.get(1).text.equals(".")) {
            n = 2; // schema-qualified: main.table_info(...)
        }
        String name = rest.get(n).text.toLowerCase(Locale.ROOT);
        boolean hasValue = rest.stream().anyMatch(t -> t.text.equals("="));
        boolean hasArgument = rest.stream().anyMatch(t -> t.text.equals("("));
        if (name.equals("litestream_time") && (hasValue || hasArgument)) {
            throw readOnly("set the point in time with the request's \"at\" field, not PRAGMA litestream_time");
        }
        if (!READ_PRAGMAS.contains(name)) {
            throw readOnly("PRAGMA " + name + " is not allowed");
        }
        if (hasValue || (hasArgument && !ARGUMENT_READ_PRAGMAS.contains(name))) {
            throw readOnly("PRAGMA " + name + " may only be read");
        }
    }

    private static QueryException readOnly(String why) {
        return new QueryException(QueryException.Kind.READ_ONLY, "this endpoint is read-only: " + why);
    }

    private record Token(String text, int depth) {
        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }

        boolean word(String w) {
            return text.equalsIgnoreCase(w);
        }
    }

    /** Words and punctuation at their parenthesis depth; strings, quoted names and comments skipped. */
    private static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int depth = 0;
        int i = 0;
        int skip;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if ((skip = SqlText.endOfQuotedOrComment(sql, i)) >= 0) {
                if (c != '-' && c != '/') { // a literal or quoted name is one token; comments none
                    out.add(new Token(c == '\'' ? "'…'" : "\"…\"", depth));
                }
                i = skip + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
                    j++;
                }
                out.add(new Token(sql.substring(i, j), depth));
                i = j;
            } else {
                if (c == ')') {
                    depth = Math.max(0, depth - 1);
                }
                out.add(new Token(String.valueOf(c), depth));
                if (c == '(') {
                    depth++;
                }
                i++;
            }
        }
        return out;
    }
}
