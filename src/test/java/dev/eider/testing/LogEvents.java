package dev.eider.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * The log events one class writes while a test runs, as their key-value pairs: what an operator's
 * log pipeline receives, read without parsing text.
 */
public final class LogEvents implements AutoCloseable {

    private final Logger logger;
    private final Level level;
    private final boolean additive;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogEvents(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.level = logger.getLevel();
        this.additive = logger.isAdditive();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        // Collected, not printed: the test output stays as quiet as the test configuration makes it.
        logger.setAdditive(false);
    }

    /** Starts collecting what the logger named {@code loggerName} (a class name) writes, from DEBUG up. */
    public static LogEvents of(String loggerName) {
        return new LogEvents(loggerName);
    }

    /** Every event so far whose {@code event} key is {@code name}, as its key-value pairs. */
    public List<Map<String, String>> named(String name) {
        return appender.list.stream()
                .map(LogEvents::pairs)
                .filter(p -> name.equals(p.get("event")))
                .toList();
    }

    private static Map<String, String> pairs(ILoggingEvent e) {
        Map<String, String> m = new LinkedHashMap<>();
        List<KeyValuePair> kv = e.getKeyValuePairs();
        if (kv != null) {
            kv.forEach(p -> m.put(p.key, String.valueOf(p.value)));
        }
        return m;
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
        logger.setAdditive(additive);
    }
}
