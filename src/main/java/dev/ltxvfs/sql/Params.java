package dev.ltxvfs.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds request parameters. sqlite-jdbc binds by position only, so named parameters are mapped to
 * the positions SQLite gives them: numbered in order of first appearance, {@code ?NNN} explicit.
 */
final class Params {
    private Params() {}

    static void bind(PreparedStatement ps, String sql, Object params) throws SQLException {
        if (params == null) {
            return;
        }
        if (params instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                ps.setObject(i + 1, value(list.get(i), "parameter " + (i + 1)));
            }
        } else if (params instanceof Map<?, ?> map) {
            Map<String, Integer> positions = namedPositions(sql);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                Object v = value(e.getValue(), "parameter " + key);
                boolean bound = false;
                if (key.matches("\\??\\d+")) {
                    ps.setObject(Integer.parseInt(key.replace("?", "")), v);
                    bound = true;
                } else if (positions.containsKey(key)) {
                    ps.setObject(positions.get(key), v);
                    bound = true;
                } else {
                    // A bare name binds whichever of :name, @name, $name the SQL uses.
                    for (String prefix : new String[] {":", "@", "$"}) {
                        Integer pos = positions.get(prefix + key);
                        if (pos != null) {
                            ps.setObject(pos, v);
                            bound = true;
                        }
                    }
                }
                if (!bound) {
                    throw new QueryException(QueryException.Kind.BAD_REQUEST, "the SQL has no parameter named " + key);
                }
            }
        } else {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "params must be an array or an object");
        }
    }

    private static Object value(Object v, String what) {
        if (v == null || v instanceof String || v instanceof Long || v instanceof Integer || v instanceof Double
                || v instanceof byte[]) {
            return v;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof BigInteger bi) {
            if (bi.bitLength() > 63) {
                throw new QueryException(QueryException.Kind.BAD_REQUEST, what + " does not fit a 64-bit integer");
            }
            return bi.longValue();
        }
        if (v instanceof BigDecimal || v instanceof Float || v instanceof Short) {
            return ((Number) v).doubleValue();
        }
        throw new QueryException(QueryException.Kind.BAD_REQUEST, what + " must be a number, string, boolean or null");
    }

    /** Parameter names (with their prefix) to SQLite's positions. */
    static Map<String, Integer> namedPositions(String sql) {
        Map<String, Integer> out = new HashMap<>();
        List<String> names = names(sql);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) != null) {
                out.putIfAbsent(names.get(i), i + 1);
            }
        }
        return out;
    }

    /**
     * Each parameter's name by position, as SQLite numbers them: {@code :a}, {@code @a}, {@code $a}
     * and {@code ?NNN} by first appearance, null for an anonymous {@code ?}.
     */
    static List<String> names(String sql) {
        List<String> out = new ArrayList<>();
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            int skip = SqlText.endOfQuotedOrComment(sql, i);
            if (skip >= 0) {
                i = skip;
            } else if (c == '?') {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                if (j > i + 1) {
                    int pos = Integer.parseInt(sql.substring(i + 1, j));
                    while (out.size() < pos) {
                        out.add(null);
                    }
                    if (out.get(pos - 1) == null) {
                        out.set(pos - 1, sql.substring(i, j));
                    }
                } else {
                    out.add(null);
                }
                i = j - 1;
            } else if ((c == ':' || c == '@' || c == '$') && i + 1 < n && isNameChar(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && isNameChar(sql.charAt(j))) {
                    j++;
                }
                String name = sql.substring(i, j);
                if (!out.contains(name)) {
                    out.add(name);
                }
                i = j - 1;
            }
        }
        return out;
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
