package dev.ltxvfs.writer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * The embedded default: a small shop database ({@code customers}, {@code products},
 * {@code orders}) shipped as a Litestream file replica with history. 360 transactions one minute
 * apart end at the time of generation, so {@code PRAGMA litestream_time = '2 hours ago'} means
 * something; level 0 is compacted into level 1 every 10 transactions and level 1 into level 2
 * every hour, with a level-9 snapshot at the start and three hours in, and old level-0 files
 * deleted once compacted, as Litestream's retention does.
 */
public final class DemoDataset {
    public static final int TRANSACTIONS = 360;
    public static final Duration SPACING = Duration.ofMinutes(1);

    private DemoDataset() {}

    /** Writes the demo replica into {@code replicaDir} unless it already holds one. */
    public static boolean ensure(Path replicaDir, Instant end) throws IOException {
        if (Files.isDirectory(replicaDir.resolve("ltx"))) {
            return false;
        }
        Path work = Files.createTempDirectory("ltxvfs-demo");
        Path staging = work.resolve("replica");
        try {
            generate(work.resolve("demo.db"), staging, end);
            Files.createDirectories(replicaDir.toAbsolutePath().getParent());
            Files.move(staging, replicaDir); // whole replica appears at once
            return true;
        } catch (SQLException e) {
            throw new IOException("cannot generate the demo database: " + e.getMessage(), e);
        } finally {
            deleteTree(work);
        }
    }

    static void generate(Path db, Path replicaDir, Instant end) throws IOException, SQLException {
        ReplicaWriter writer = new ReplicaWriter(replicaDir);
        Random rnd = new Random(42);
        Instant start = end.minus(SPACING.multipliedBy(TRANSACTIONS - 1));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=DELETE");
                s.execute("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, city TEXT, created_at TEXT)");
                s.execute("CREATE TABLE products(id INTEGER PRIMARY KEY, name TEXT NOT NULL, price_cents INTEGER, stock INTEGER)");
                s.execute("CREATE TABLE orders(id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), "
                        + "product_id INTEGER REFERENCES products(id), qty INTEGER, total_cents INTEGER, created_at TEXT)");
                s.execute("CREATE INDEX orders_customer ON orders(customer_id)");
                s.execute("CREATE INDEX orders_created ON orders(created_at)");
            }
            c.setAutoCommit(false);
            seed(c, rnd, start);
            c.commit();
            writer.commit(db, start);
            writer.snapshot(db, start);
            for (int tx = 1; tx < TRANSACTIONS; tx++) {
                Instant at = start.plus(SPACING.multipliedBy(tx));
                addOrders(c, rnd, at);
                c.commit();
                writer.commit(db, at);
                if (tx % 10 == 0) {
                    writer.compact(1);
                }
                if (tx % 60 == 0) {
                    writer.compact(2);
                    writer.deleteCompacted(0, at.minus(Duration.ofMinutes(30)));
                }
                if (tx == TRANSACTIONS / 2) {
                    writer.snapshot(db, at);
                }
            }
        }
    }

    private static final String[] CITIES = {"Lisbon", "Oslo", "Lyon", "Austin", "Osaka", "Recife", "Tartu", "Perth"};

    private static void seed(Connection c, Random rnd, Instant at) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO customers VALUES (?,?,?,?,?)")) {
            for (int i = 1; i <= 500; i++) {
                p.setInt(1, i);
                p.setString(2, "Customer " + i);
                p.setString(3, "customer" + i + "@example.com");
                p.setString(4, CITIES[rnd.nextInt(CITIES.length)]);
                p.setString(5, at.toString());
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO products VALUES (?,?,?,?)")) {
            for (int i = 1; i <= 200; i++) {
                p.setInt(1, i);
                p.setString(2, "Product " + i);
                p.setInt(3, 100 + rnd.nextInt(20_000));
                p.setInt(4, 1_000);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    private static void addOrders(Connection c, Random rnd, Instant at) throws SQLException {
        try (PreparedStatement o = c.prepareStatement(
                "INSERT INTO orders(customer_id, product_id, qty, total_cents, created_at) "
                        + "SELECT ?, id, ?, price_cents * ?, ? FROM products WHERE id = ?");
                PreparedStatement stock = c.prepareStatement("UPDATE products SET stock = stock - ? WHERE id = ?")) {
            int n = 3 + rnd.nextInt(10);
            for (int i = 0; i < n; i++) {
                int product = 1 + rnd.nextInt(200);
                int qty = 1 + rnd.nextInt(5);
                o.setInt(1, 1 + rnd.nextInt(500));
                o.setInt(2, qty);
                o.setInt(3, qty);
                o.setString(4, at.toString());
                o.setInt(5, product);
                o.executeUpdate();
                stock.setInt(1, qty);
                stock.setInt(2, product);
                stock.executeUpdate();
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
