package dev.eider.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What readiness looks at, one {@link Check} per part, read by {@code /health/ready}, {@code /v1/status}
 * and the status page. The service is ready when every required check is ok: only ingest is required, as
 * failing exports or a broken export target stop exports, not writes.
 */
public record Readiness(List<Check> checks) {

    /** The status of a check that passes. */
    public static final String OK = "ok";

    /** The status of a check whose first answer is not in yet. */
    public static final String PENDING = "pending";

    public Readiness {
        checks = List.copyOf(checks);
    }

    /**
     * One part's state.
     *
     * @param name {@code ingest}, {@code exports} or {@code export_target}
     * @param subject what was checked (the database, the target's URI), or null
     * @param status {@value #OK}, {@value #PENDING}, or one word for what is wrong ({@code failing},
     *     {@code failed}, {@code stopping})
     * @param detail what was found, in plain words, or null
     * @param required whether the service is unready while this check is not ok
     * @param failures one entry per failing item (the failing exports), empty otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Check(
            String name,
            String subject,
            String status,
            String detail,
            boolean required,
            List<Map<String, Object>> failures) {

        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(status, "status");
            failures = List.copyOf(failures);
        }

        public boolean ok() {
            return OK.equals(status);
        }
    }

    public boolean ready() {
        return checks.stream().allMatch(c -> !c.required() || c.ok());
    }

    /** {@code ready}, or the status of the first required check that is not ok. */
    public String status() {
        return firstFailingRequired().map(Check::status).orElse("ready");
    }

    /** What keeps the service unready, or null when it is ready. */
    public String detail() {
        return firstFailingRequired().map(Check::detail).orElse(null);
    }

    public Optional<Check> check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private Optional<Check> firstFailingRequired() {
        return checks.stream().filter(c -> c.required() && !c.ok()).findFirst();
    }
}
