package lambdesk.runtime;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

// The logger Context.getLogger() and LambdaRuntime.getLogger() hand out: each message goes to
// the function's log as it is, and messages below AWS_LAMBDA_LOG_LEVEL are dropped.
final class FramedLogger implements LambdaLogger {
    private final PrintStream out;
    private final LogLevel minimum;

    FramedLogger(PrintStream out, String level) {
        this.out = out;
        LogLevel parsed = LogLevel.UNDEFINED;
        if (level != null && !level.isEmpty()) {
            try {
                parsed = LogLevel.fromString(level);
            } catch (IllegalArgumentException e) {
                parsed = LogLevel.UNDEFINED;
            }
        }
        this.minimum = parsed;
    }

    @Override
    public void log(String message) {
        synchronized (out) {
            out.print(message);
            out.flush();
        }
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
    }

    // Lambda's text format: "[INFO] message" for a message with a level.
    @Override
    public void log(String message, LogLevel level) {
        if (level == null || level == LogLevel.UNDEFINED) {
            log(message);
            return;
        }
        if (minimum != LogLevel.UNDEFINED && level.ordinal() < minimum.ordinal())
            return;
        log("[" + level + "] " + message);
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        log(new String(message, StandardCharsets.UTF_8), level);
    }
}
