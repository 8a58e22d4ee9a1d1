package dev.ltxvfs.vfs;

import java.nio.charset.StandardCharsets;

/**
 * The rules a database name follows. A name is one folder under a catalog's prefix, and it
 * arrives in URL paths already decoded once, so anything that could step out of the prefix or
 * hide a second decoding is refused, with the rule it breaks.
 */
public final class DatabaseNames {
    public static final int MAX_BYTES = 255;

    private DatabaseNames() {}

    /** @throws IllegalArgumentException naming the rule {@code name} breaks */
    public static void check(String name) {
        String why = problem(name);
        if (why != null) {
            throw new IllegalArgumentException("bad database name '" + printable(name) + "': " + why);
        }
    }

    /** Why {@code name} is not a database name, or null when it is one. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a name must not be empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "a name is at most " + MAX_BYTES + " bytes of UTF-8";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "a name is one folder: no '/' or '\\'";
        }
        if (name.contains("..")) {
            return "a name must not contain '..'";
        }
        if (name.indexOf('%') >= 0) {
            return "a name must not contain '%' (URLs are decoded once; an escape left in a name is a trick)";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return "a name must not contain control characters";
            }
        }
        return null;
    }

    /** The name with control characters shown as escapes, cut short: safe in a message or log. */
    static String printable(String name) {
        if (name == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 80; i++) {
            char c = name.charAt(i);
            b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return name.length() > 80 ? b + "..." : b.toString();
    }
}
