package dev.eider.files;

import dev.eider.ingest.UnavailableException;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Tells an S3 store that is out of reach or failing (after the AWS SDK's own retries) from one
 * that refuses a request: the first is a 503 the client may retry, not a 500.
 */
final class S3Outage {

    private static final Logger log = LoggerFactory.getLogger(S3Outage.class);
    /** Long enough for a store restart or a network blip, short enough for an interactive client. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private S3Outage() {}

    /** {@code e} as a 503 when the store could not be reached or failed on its side, else {@code e} itself. */
    static RuntimeException translate(RuntimeException e, String target) {
        if (!isOutage(e)) {
            return e;
        }
        // The client learns that the store is unavailable; the endpoint and the cause are for operators.
        log.atWarn()
                .addKeyValue("event", "files_target_unavailable")
                .addKeyValue("target", target)
                .addKeyValue(
                        "error",
                        String.valueOf(e.getMessage()).lines().findFirst().orElse(""))
                .log("the files target is unavailable");
        return new UnavailableException(
                "Files target unavailable",
                "the files target (files.target) cannot be reached or is failing; nothing was changed",
                RETRY_AFTER,
                e);
    }

    static boolean isOutage(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof S3Exception s3) {
                return s3.statusCode() >= 500;
            }
            if (c instanceof ApiCallTimeoutException || c instanceof ApiCallAttemptTimeoutException) {
                return true;
            }
            if (c instanceof SdkClientException && hasIoCause(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
