package dev.ltxvfs.api.hrana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.Base64;

/**
 * Hrana values, both ways: {@code {"type":"integer","value":"123"}} (64-bit, a decimal STRING),
 * {@code {"type":"float","value":2.5}} (a JSON number), text, {@code {"type":"blob","base64":...}}
 * and null. The JS client fails on an integer sent as a number or a float sent as a string.
 */
final class HranaValues {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private HranaValues() {}

    /** A request value as JDBC binds it: Long, Double, String, byte[] or null. */
    static Object decode(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        String type = v.path("type").asText("");
        JsonNode value = v.get("value");
        try {
            return switch (type) {
                case "null" -> null;
                case "integer" -> value != null && value.isIntegralNumber() ? value.longValue() : Long.parseLong(text(value, type));
                case "float" -> value != null && value.isNumber() ? value.doubleValue() : Double.parseDouble(text(value, type));
                case "text" -> text(value, type);
                // The client pads; other clients may not: the basic decoder takes both.
                case "blob" -> Base64.getDecoder().decode(v.path("base64").asText(""));
                default -> throw new HranaException("HRANA_PROTO_ERROR", "unknown value type '" + type + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new HranaException("HRANA_PROTO_ERROR", "a " + type + " value is malformed: " + e.getMessage());
        }
    }

    private static String text(JsonNode value, String type) {
        if (value == null || value.isNull() || value.isContainerNode()) {
            throw new HranaException("HRANA_PROTO_ERROR", "a " + type + " value has no \"value\"");
        }
        return value.asText();
    }

    /** A value SQLite returned (via sqlite-jdbc's getObject) as a Hrana value. */
    static ObjectNode encode(Object v) {
        ObjectNode n = JSON.objectNode();
        switch (v) {
            case null -> n.put("type", "null");
            case Integer i -> n.put("type", "integer").put("value", Integer.toString(i));
            case Long l -> n.put("type", "integer").put("value", Long.toString(l));
            case Double d -> {
                n.put("type", "float");
                if (d.isInfinite()) {
                    // JSON has no Infinity; JavaScript's JSON.parse reads 1e999 as Infinity.
                    n.putRawValue("value", new RawValue(d > 0 ? "1e999" : "-1e999"));
                } else if (d.isNaN()) {
                    n.putNull("value"); // SQLite turns NaN into NULL itself; never reached in practice
                } else {
                    n.put("value", d);
                }
            }
            case Float f -> n.put("type", "float").put("value", f.doubleValue());
            case String s -> n.put("type", "text").put("value", s);
            case byte[] b -> n.put("type", "blob").put("base64", Base64.getEncoder().encodeToString(b));
            default -> n.put("type", "text").put("value", v.toString());
        }
        return n;
    }
}
