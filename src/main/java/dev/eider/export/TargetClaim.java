package dev.eider.export;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A table's prefix at a target belongs to one database: the first to create {@code <table>/_claim.json}
 * with a conditional create ({@code If-None-Match: *} on S3, a hard link in a folder), so that of two
 * databases racing exactly one wins. An attempt checks the claim before it writes anything, unless the
 * claim was found to be this database's within {@link Exporter#CLAIM_RECHECK}.
 */
public final class TargetClaim {

    static final String FORMAT = "eider-claim/1";

    /** The claim object's content. */
    record Claim(String format, String databaseId, String table, Instant claimedAt) {}

    private TargetClaim() {}

    /** Claims the table's prefix for the database, or finds it already claimed by it. */
    public static void claim(ExportTarget target, String table, String databaseId) {
        claim(target, table, databaseId, head -> false);
    }

    /**
     * Claims the table's prefix for the database, or finds it already claimed by it.
     *
     * @param ownsUnclaimedHead for a prefix without a claim whose head has no database id (written before
     *     identities existed): whether that head is this database's own
     * @throws TargetClaimedException when the prefix belongs to another database
     */
    static void claim(ExportTarget target, String table, String databaseId, Predicate<Head> ownsUnclaimedHead) {
        claim(
                target,
                table,
                "export.target",
                databaseId,
                () -> refuseForeignHead(target, table, databaseId, ownsUnclaimedHead));
    }

    /**
     * Claims a files folder ({@code files.target}) for the database: whoever deletes objects there must
     * own every object a row may name. The claim is {@value #FILES_CLAIM} at the folder's root, where
     * no table's key is (a table's are {@code <table>/...}).
     */
    public static void claimFiles(ExportTarget target, String databaseId) {
        // Versions before 2026-11 claimed at _files/_claim.json inside the files target (so by default
        // <export>/_files/_files/_claim.json); such a claim still counts.
        String legacy = ObjectKeys.claim(FILES_PREFIX);
        Runnable unclaimed = () -> read(target, legacy)
                .filter(old -> !old.databaseId().equals(databaseId))
                .ifPresent(old -> {
                    throw TargetClaimedException.files(target.describe(), legacy, old.databaseId(), databaseId);
                });
        String owner = claimAt(target, FILES_PREFIX, FILES_CLAIM, databaseId, unclaimed);
        if (!owner.equals(databaseId)) {
            throw TargetClaimedException.files(target.describe(), FILES_CLAIM, owner, databaseId);
        }
    }

    /** Whether the table's prefix is claimed, and by this database (asks the target, changes nothing). */
    static boolean isClaimedBy(ExportTarget target, String table, String databaseId) {
        return read(target, ObjectKeys.claim(table))
                .map(c -> c.databaseId().equals(databaseId))
                .orElse(false);
    }

    /** The name a files folder's claim records in place of a table. */
    public static final String FILES_PREFIX = "_files";

    /** Where a files folder's claim lives: at the root of {@code files.target}, beside no table's key. */
    public static final String FILES_CLAIM = "_claim.json";

    private static void claim(
            ExportTarget target, String prefix, String setting, String databaseId, Runnable unclaimed) {
        String owner = claimAt(target, prefix, ObjectKeys.claim(prefix), databaseId, unclaimed);
        if (!owner.equals(databaseId)) {
            throw new TargetClaimedException(target.describe(), prefix, setting, owner, databaseId);
        }
    }

    /** Creates the claim at {@code key} unless there is one; returns the owner's database id. */
    private static String claimAt(
            ExportTarget target, String prefix, String key, String databaseId, Runnable unclaimed) {
        Optional<Claim> found = read(target, key);
        if (found.isEmpty()) {
            unclaimed.run();
            byte[] json = ManifestJson.write(
                    new Claim(FORMAT, databaseId, prefix, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
            if (target.create(key, json, Sha256.of(json)) != ExportTarget.Outcome.CONFLICT) {
                return databaseId;
            }
            // Another process created it between our read and our create: whoever it was won.
            found = read(target, key);
        }
        return found.map(Claim::databaseId).orElse("(unreadable claim)");
    }

    private static void refuseForeignHead(
            ExportTarget target, String table, String databaseId, Predicate<Head> ownsUnclaimedHead) {
        Optional<Head> head = target.read(ObjectKeys.head(table)).map(b -> ManifestJson.read(b, Head.class));
        if (head.isEmpty()) {
            return;
        }
        String owner = head.get().databaseId();
        if (owner == null) {
            if (!ownsUnclaimedHead.test(head.get())) {
                throw new TargetClaimedException(
                        target.describe(),
                        table,
                        "export.target",
                        "of unknown identity (its _head.json predates identities)",
                        databaseId);
            }
        } else if (!owner.equals(databaseId)) {
            throw new TargetClaimedException(target.describe(), table, "export.target", owner, databaseId);
        }
    }

    private static Optional<Claim> read(ExportTarget target, String key) {
        return target.read(key).map(b -> ManifestJson.read(b, Claim.class));
    }
}
