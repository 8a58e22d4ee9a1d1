package dev.ltxvfs.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Query answers in the form the sqlite3 CLI prints them, so JDBC and the reference compare directly. */
public final class SqlRows {
    private SqlRows() {}

    /** Rows as the CLI prints them in list mode: columns joined by '|', NULL as empty. */
    public static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql.replaceAll(";\\s*$", ""))) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    String v = rs.getString(i);
                    b.append(i > 1 ? "|" : "").append(v == null ? "" : v);
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
