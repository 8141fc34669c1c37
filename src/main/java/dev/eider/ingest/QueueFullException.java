package dev.eider.ingest;

import java.time.Duration;

/** The write queue is full: the client should retry after {@link #retryAfter()}. */
public final class QueueFullException extends RuntimeException {

  private final Duration retryAfter;

  public QueueFullException(Duration retryAfter) {
    super("the write queue is full; retry after " + retryAfter.toSeconds() + "s");
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
