package dev.eider.export;

/**
 * Planning a change export could not read the target's head to learn what the target holds: nothing was
 * planned. The message is the target's own failure (which names the target, not its credentials).
 */
public final class ExportTargetUnreadableException extends RuntimeException {

    ExportTargetUnreadableException(String table, RuntimeException cause) {
        super("cannot read what the export target holds of table '" + table + "': " + cause.getMessage(), cause);
    }
}
