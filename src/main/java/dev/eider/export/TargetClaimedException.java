package dev.eider.export;

/** A prefix at a target belongs to another database: this one must not write (or delete) there. */
public final class TargetClaimedException extends RuntimeException {

    /**
     * @param prefix the claimed prefix (a table)
     * @param setting the setting that points at the target, named in what to do
     */
    TargetClaimedException(String target, String prefix, String setting, String owner, String self) {
        super("the prefix " + prefix + "/ at " + target + " belongs to database " + owner + " (see " + prefix
                + "/_claim.json), and this database is " + self
                + "; two databases never share one place. Point " + setting + " at a folder or prefix of"
                + " this database's own, or, if the other database's objects there are no longer needed, delete "
                + prefix + "/ at the target");
    }

    private TargetClaimedException(String message) {
        super(message);
    }

    /** The files folder ({@code files.target}) belongs to another database. */
    static TargetClaimedException files(String target, String claim, String owner, String self) {
        return new TargetClaimedException("the files folder " + target + " belongs to database " + owner + " (see "
                + claim + " there), and this database is " + self + "; two databases never share one place. Point"
                + " files.target at a folder or prefix of this database's own");
    }
}
