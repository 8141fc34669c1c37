package dev.eider.export;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A target refused or could not be reached, said in plain words with the setting to change,
 * instead of the AWS SDK's chain of causes (a credentials failure alone is 1.5 KB of it).
 */
public final class TargetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TargetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What went wrong with an S3 request to {@code target} at {@code endpoint} (null for AWS). */
    static TargetException of(SdkException e, String target, String endpoint) {
        return new TargetException(target + ": " + describe(e, target, endpoint), e);
    }

    static String describe(SdkException e, String target, String endpoint) {
        String where = endpoint == null ? "AWS S3" : endpoint;
        if (e instanceof S3Exception s3) {
            String code =
                    s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            return switch (code == null ? "" : code) {
                case "NoSuchBucket" -> "the bucket does not exist at " + where + "; check export.target";
                case "InvalidAccessKeyId" ->
                    where + " does not know the access key; check AWS_ACCESS_KEY_ID"
                            + " (or the profile or role the AWS SDK found)";
                case "SignatureDoesNotMatch" ->
                    where + " refused the request signature: the secret key does not"
                            + " match the access key; check AWS_SECRET_ACCESS_KEY";
                case "AccessDenied" ->
                    where + " denied access; the credentials need s3:PutObject, s3:GetObject"
                            + " and s3:DeleteObject on the bucket";
                case "PermanentRedirect", "AuthorizationHeaderMalformed" ->
                    "the bucket is in another region than" + " export.s3.region; set it to the bucket's region";
                default ->
                    where + " answered " + s3.statusCode() + (code == null ? "" : " " + code) + ": "
                            + firstLine(
                                    s3.awsErrorDetails() == null
                                            ? null
                                            : s3.awsErrorDetails().errorMessage());
            };
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
            return where + " did not finish a request within its time (a store that stopped reading, or an upload"
                    + " slower than " + S3Multipart.SLOWEST_BYTES_PER_SECOND / 1024
                    + " KiB/s); check export.s3.endpoint and the network";
        }
        if (e instanceof AbortedException) {
            return "a request to " + where + " was interrupted (the service is stopping, or the export was cancelled)";
        }
        if (e instanceof SdkClientException) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Unable to load credentials")) {
                return "no S3 credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE,"
                        + " or run with an instance or container role";
            }
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof UnknownHostException) {
                    return "cannot resolve the host of " + where + "; check export.s3.endpoint";
                }
                if (c instanceof ConnectException) {
                    String reason = String.valueOf(c.getMessage());
                    return "cannot connect to " + where + " ("
                            + reason.substring(reason.lastIndexOf(": ") + 1).strip() + "); check export.s3.endpoint";
                }
                if (c instanceof SocketTimeoutException) {
                    return where + " did not answer in time; check export.s3.endpoint and the network";
                }
                if (c instanceof SocketException) { // after ConnectException, one of its kind
                    return "the connection to " + where + " broke (" + c.getMessage()
                            + "); check export.s3.endpoint and the network";
                }
            }
        }
        return firstLine(e.getMessage());
    }

    /**
     * The SDK appends "(Service: S3, Status Code: ..., Request ID: ...)" and "(SDK Attempt Count: n)", even to
     * no message at all ("null (SDK Attempt Count: 1)" when a stop interrupted a request): keep the sentence.
     */
    static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse(message);
        for (String sdkDetails : new String[] {" (Service: ", " (SDK Attempt Count: "}) {
            int at = line.indexOf(sdkDetails);
            line = at >= 0 ? line.substring(0, at) : line;
        }
        line = line.strip();
        return line.isEmpty() || line.equals("null") ? "no message" : line;
    }
}
