package dev.ltxvfs.api.hrana;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a libSQL baton says, signed: which stream, its request counter, the database, the TXID its
 * open read transaction is pinned at, and when it was issued. Any instance holding the same key can
 * check it and continue the stream on exactly that snapshot; nobody without the key can make one.
 *
 * @param txid null outside a transaction, "" inside one that has not read yet, else 16 hex digits
 */
record Baton(String stream, long seq, String database, String txid, long issuedMillis) {

    /** Signs and checks batons with one HMAC-SHA256 key. */
    static final class Signer {
        private final SecretKeySpec key;

        Signer(byte[] secret) {
            this.key = new SecretKeySpec(secret, "HmacSHA256");
        }

        String sign(Baton b) {
            String payload = String.join("|", "1", b.stream, Long.toString(b.seq),
                    b.txid == null ? "-" : b.txid.isEmpty() ? "+" : b.txid, Long.toString(b.issuedMillis), b.database);
            byte[] p = payload.getBytes(StandardCharsets.UTF_8);
            return B64.encodeToString(p) + "." + B64.encodeToString(mac(p));
        }

        /** The baton {@code token} carries; a {@link HranaException} (BATON_INVALID) when it is not ours. */
        Baton verify(String token) {
            int dot = token.indexOf('.');
            try {
                byte[] p = Base64.getUrlDecoder().decode(token.substring(0, Math.max(0, dot)));
                byte[] sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
                if (dot < 0 || !MessageDigest.isEqual(sig, mac(p))) {
                    throw invalid();
                }
                String[] f = new String(p, StandardCharsets.UTF_8).split("\\|", 6);
                if (f.length != 6 || !f[0].equals("1")) {
                    throw invalid();
                }
                String txid = f[3].equals("-") ? null : f[3].equals("+") ? "" : f[3];
                return new Baton(f[1], Long.parseLong(f[2]), f[5], txid, Long.parseLong(f[4]));
            } catch (IllegalArgumentException e) {
                throw invalid();
            }
        }

        private static HranaException invalid() {
            return new HranaException("BATON_INVALID", "the baton was not issued by this service (or by an instance "
                    + "with another ltxvfs.libsql.baton-secret)");
        }

        private byte[] mac(byte[] payload) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac.doFinal(payload);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is unavailable", e);
            }
        }

        private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    }
}
