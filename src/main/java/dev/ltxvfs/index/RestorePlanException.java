package dev.ltxvfs.index;

import java.io.IOException;

/** No restore plan reaches the requested state; subclasses say why. */
public abstract class RestorePlanException extends IOException {
    protected RestorePlanException(String message) {
        super(message);
    }
}
