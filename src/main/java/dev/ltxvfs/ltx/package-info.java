/**
 * The LTX file format (version 3, as Litestream writes it), and nothing else: no I/O policy, no
 * object store, no SQLite connections. All fixed-width integers are big-endian.
 *
 * <pre>
 * Header (100 B)    "LTX1" | flags u32 (only 0x2 NoChecksum) | pageSize u32 | commit u32
 *                   | minTXID u64 | maxTXID u64 | timestamp i64 ms | preApply u64
 *                   | walOffset i64 | walSize i64 | walSalt1 u32 | walSalt2 u32 | nodeId u64 | 20 reserved
 * Page block        per page, ascending pgno, never the lock page, pgno &lt;= commit:
 *                     pgno u32 | flags u16 = 1 | size u32 | LZ4 block (decompresses to pageSize)
 *                     (legacy: flags 0, then an LZ4 frame stream with no size)
 *                   end marker: 6 zero bytes
 * Page index        per page: uvarint pgno | uvarint offset (absolute) | uvarint frame size
 *                   | 0x00 | u64 length of the varints including the 0x00
 * Trailer (16 B)    postApply u64 | fileChecksum u64 = 1&lt;&lt;63 | CRC-64/GO-ISO of all bytes before it,
 *                   with each page hashed decompressed (frame header + size prefix + page data)
 * </pre>
 *
 * A file with minTXID 1 is a snapshot: it holds every page 1..commit except the lock page
 * ({@code 2^30 / pageSize + 1}). Readers open a file from its tail ({@link dev.ltxvfs.ltx.LtxTail}),
 * then decode single frames ({@link dev.ltxvfs.ltx.LtxFrames}); whole-file work goes through
 * {@link dev.ltxvfs.ltx.LtxDecoder}, {@link dev.ltxvfs.ltx.LtxEncoder} and
 * {@link dev.ltxvfs.ltx.LtxCompactor}. Every decoding problem is an
 * {@link dev.ltxvfs.ltx.LtxFormatException} whose message starts with the source the caller named.
 */
package dev.ltxvfs.ltx;
