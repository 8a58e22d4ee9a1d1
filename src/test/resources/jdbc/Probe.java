import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Run with only the driver jar on the class path:
 * java -cp ltxvfs-jdbc-VERSION.jar Probe.java <time> jdbc:litestream:<replica URL>...
 * For each URL: the driver DriverManager picked, the live row count of table items (another with
 * -Dprobe.table=...) and the time from getConnection to that first row, the count at <time> through
 * the litestream_time property, a refused write, and the hydration progress a connection with
 * litestream_hydrate=on reaches (100.0 once the whole database is in the cache).
 */
public class Probe {
    public static void main(String[] args) throws Exception {
        String at = args[0];
        for (int i = 1; i < args.length; i++) {
            String url = args[i];
            String kind = url.startsWith("jdbc:litestream:s3:") ? "s3" : "file";
            System.out.println(kind + " driver " + DriverManager.getDriver(url).getClass().getName());
            long t0 = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                long n = count(s);
                System.out.printf("%s live %d (first row after %d ms)%n", kind, n, (System.nanoTime() - t0) / 1_000_000);
                try {
                    s.executeUpdate("DELETE FROM " + System.getProperty("probe.table", "items"));
                    System.out.println(kind + " write allowed");
                } catch (SQLException e) {
                    System.out.println(kind + " write refused " + e.getMessage());
                }
            }
            Properties h = new Properties();
            h.setProperty("litestream_hydrate", "on");
            try (Connection c = DriverManager.getConnection(url, h); Statement s = c.createStatement()) {
                String progress = "";
                for (long until = System.nanoTime() + 60_000_000_000L; !progress.equals("100.0") && System.nanoTime() < until; ) {
                    Thread.sleep(20);
                    try (ResultSet rs = s.executeQuery("PRAGMA litestream_hydration_progress")) {
                        rs.next();
                        progress = rs.getString(1);
                    }
                }
                System.out.println(kind + " hydrated " + progress);
            }
            Properties p = new Properties();
            p.setProperty("litestream_time", at);
            try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
                System.out.println(kind + " at " + count(s));
            }
        }
    }

    static long count(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + System.getProperty("probe.table", "items"))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
