package dev.readiness.core.reload;

import java.util.Locale;

/** How one reload ended; the {@code result} tag of {@code readiness.config.reloads}. */
public enum ReloadResult {
    /** A new snapshot was swapped in. */
    SUCCESS,
    /** The directory was read, and no value differed: nothing was swapped, no listener ran. */
    UNCHANGED,
    /** A file could not be parsed or a validator rejected the candidate: the last good snapshot stays. */
    INVALID,
    /** The directory or a file could not be read (missing, dangling link, too large): the last good stays. */
    READ_ERROR;

    /** The tag value: {@code success}, {@code unchanged}, {@code invalid}, {@code read_error}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for {@link #INVALID} and {@link #READ_ERROR}. */
    public boolean failed() {
        return this == INVALID || this == READ_ERROR;
    }
}
