package dev.eider.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** What an export's error and log say of a failed S3 request: the sentence, not the SDK's details (a new-user trial). */
class TargetExceptionTest {

    private static final String ENDPOINT = "http://127.0.0.1:9000";

    @Test
    void describe_requestTheStopInterrupted_saysSo() {
        String said = TargetException.describe(
                AbortedException.builder().message("Thread was interrupted").build(), "s3://b/p", ENDPOINT);

        assertThat(said)
                .isEqualTo("a request to " + ENDPOINT
                        + " was interrupted (the service is stopping, or the export was cancelled)");
    }

    @Test
    void describe_otherClientFailure_dropsTheSdksAttemptCount() {
        String said = TargetException.describe(
                SdkClientException.create("Unable to execute HTTP request: Connection reset (SDK Attempt Count: 5)"),
                "s3://b/p",
                ENDPOINT);

        assertThat(said).isEqualTo("Unable to execute HTTP request: Connection reset");
    }

    /** A new-user trial: a reset connection named neither the endpoint nor what to check. */
    @Test
    void describe_connectionReset_namesTheEndpointAndTheSetting() {
        String said = TargetException.describe(
                SdkClientException.create(
                        "Unable to execute HTTP request: Connection reset",
                        new java.net.SocketException("Connection reset")),
                "s3://b/p",
                ENDPOINT);

        assertThat(said)
                .isEqualTo("the connection to " + ENDPOINT
                        + " broke (Connection reset); check export.s3.endpoint and the network");
    }

    @Test
    void describe_noMessageButTheSdksAttemptCount_saysThereIsNone() {
        String said = TargetException.describe(
                SdkClientException.create("null (SDK Attempt Count: 1)"), "s3://b/p", ENDPOINT);

        assertThat(said).isEqualTo("no message");
    }
}
