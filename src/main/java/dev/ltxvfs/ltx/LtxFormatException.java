package dev.ltxvfs.ltx;

import java.io.IOException;

/**
 * The bytes are not a valid LTX file (or frame, or index). The message starts with the source
 * the caller named, so a log line says which object was bad without more context.
 */
public class LtxFormatException extends IOException {

    public LtxFormatException(String source, String problem) {
        super(source + ": " + problem);
    }

    public LtxFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
