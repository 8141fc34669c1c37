package dev.eider.http;

import java.util.concurrent.CompletionStage;

/** Answers one route. Exceptions, thrown or completing the stage, become problem+json in {@link ProblemMapper}. */
@FunctionalInterface
public interface Endpoint {

    CompletionStage<Reply> handle(Exchange exchange) throws Exception;
}
