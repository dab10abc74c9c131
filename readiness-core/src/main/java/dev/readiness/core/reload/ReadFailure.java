package dev.readiness.core.reload;

/** Why a generation could not be turned into a snapshot; the message names the file, never a value. */
final class ReadFailure extends Exception {

    private final ReloadResult result;

    ReadFailure(ReloadResult result, String message) {
        this(result, message, null);
    }

    ReadFailure(ReloadResult result, String message, Throwable cause) {
        super(message, cause);
        this.result = result;
    }

    static ReadFailure invalid(String message) {
        return new ReadFailure(ReloadResult.INVALID, message);
    }

    static ReadFailure read(String message, Throwable cause) {
        return new ReadFailure(ReloadResult.READ_ERROR, message, cause);
    }

    ReloadResult result() {
        return result;
    }
}
