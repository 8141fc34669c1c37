package dev.eider.export;

import dev.eider.config.ExportSettings.Mode;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's chain: its newest succeeded snapshot and the succeeded change exports after it, oldest first, one per
 * manifest; what its head lists, and what {@link ExportStore#chain} reads.
 */
public final class ExportChain {

    private ExportChain() {}

    /**
     * The table's chain once {@code current} has succeeded, given its chain before, in the order and with the
     * choices of {@link ExportStore#chain}: a snapshot at least as new as the chain's replaces it and keeps the
     * change exports from its end on; a change export is appended unless its manifest is there already.
     */
    public static List<ExportPlan> after(List<ExportPlan> chain, ExportPlan current) {
        List<ExportPlan> all = new ArrayList<>(chain);
        if (current.mode() == Mode.SNAPSHOT) {
            ExportPlan newest = all.stream()
                    .filter(p -> p.mode() == Mode.SNAPSHOT)
                    .findFirst()
                    .orElse(null);
            if (newest == null || current.toSeq() >= newest.toSeq()) {
                all = new ArrayList<>(List.of(current));
                all.addAll(chain.stream()
                        .filter(p -> p.mode() == Mode.CHANGES && p.fromSeq() >= current.toSeq())
                        .toList());
            }
        } else if (all.stream().noneMatch(p -> p.manifestKey().equals(current.manifestKey()))) {
            all.add(current);
        }
        return all;
    }
}
