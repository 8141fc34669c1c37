package dev.eider.export;

/** A table's prefix at the export target belongs to another database: this one must not write there. */
public final class TargetClaimedException extends RuntimeException {

    TargetClaimedException(String target, String table, String owner, String self) {
        super("the prefix " + table + "/ at " + target + " belongs to database " + owner + " (see " + table
                + "/_claim.json), and this database is " + self
                + "; two databases never export one table to one place. Point export.target at a folder or prefix of"
                + " this database's own, or, if the other database's exports there are no longer needed, delete "
                + table + "/ at the target");
    }
}
