package dev.ltxvfs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTextTest {

    @Test
    void findsTheEndOfLiteralsQuotedNamesAndComments() {
        String sql = "x 'a;b' \"c\" `d` [e f] -- g;\n /* h; */ y";
        assertThat(SqlText.endOfQuotedOrComment(sql, 0)).isEqualTo(-1);
        assertThat(sql.substring(2, SqlText.endOfQuotedOrComment(sql, 2) + 1)).isEqualTo("'a;b'");
        assertThat(sql.substring(8, SqlText.endOfQuotedOrComment(sql, 8) + 1)).isEqualTo("\"c\"");
        assertThat(sql.substring(12, SqlText.endOfQuotedOrComment(sql, 12) + 1)).isEqualTo("`d`");
        assertThat(sql.substring(16, SqlText.endOfQuotedOrComment(sql, 16) + 1)).isEqualTo("[e f]");
        assertThat(sql.substring(22, SqlText.endOfQuotedOrComment(sql, 22) + 1)).isEqualTo("-- g;\n");
        assertThat(sql.substring(29, SqlText.endOfQuotedOrComment(sql, 29) + 1)).isEqualTo("/* h; */");
    }

    @Test
    void anUnterminatedRunEndsWithTheText() {
        assertThat(SqlText.endOfQuotedOrComment("'open", 0)).isEqualTo(4);
        assertThat(SqlText.endOfQuotedOrComment("/* open", 0)).isEqualTo(6);
        assertThat(SqlText.endOfQuotedOrComment("-- to the end", 0)).isEqualTo(12);
        assertThat(SqlText.endOfQuotedOrComment("-", 0)).isEqualTo(-1);
    }
}
