package lambdesk.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

// An error as Lambda's Java runtime reports it: {"errorMessage", "errorType", "stackTrace"} with
// each frame as StackTraceElement prints it, the trace cut where the runtime's own frames
// begin; Runtime.UserException for what the function threw, Runtime.BadFunctionCode for a
// handler that cannot be used (those carry no trace, as on Lambda).
final class ErrorDocument {
    static final String USER_EXCEPTION = "Runtime.UserException";
    static final String BAD_FUNCTION_CODE = "Runtime.BadFunctionCode";
    private static final String RUNTIME_PACKAGE = "lambdesk.runtime.";

    private final String message;
    private final String errorType;
    private final String[] stackTrace;
    private final String headerType;
    private final Throwable throwable;

    private ErrorDocument(String message, String errorType, String[] stackTrace, String headerType, Throwable throwable) {
        this.message = message;
        this.errorType = errorType;
        this.stackTrace = stackTrace;
        this.headerType = headerType;
        this.throwable = throwable;
    }

    // What the function threw: its class, message and frames.
    static ErrorDocument of(Throwable thrown) {
        if (thrown instanceof HandlerFault)
            return ((HandlerFault) thrown).document();
        return of(thrown, USER_EXCEPTION);
    }

    static ErrorDocument of(Throwable thrown, String headerType) {
        filter(thrown, Collections.newSetFromMap(new IdentityHashMap<>()));
        StackTraceElement[] frames = thrown.getStackTrace();
        String[] trace = new String[frames.length];
        for (int i = 0; i < frames.length; ++i)
            trace[i] = frames[i].toString();
        return new ErrorDocument(messageOf(thrown), thrown.getClass().getName(), trace, headerType, thrown);
    }

    // A handler that cannot be loaded or called; errorType may be null (then left out).
    static ErrorDocument fault(String message, String errorType, Throwable cause, String headerType) {
        if (cause != null)
            filter(cause, Collections.newSetFromMap(new IdentityHashMap<>()));
        return new ErrorDocument(message, errorType, null, headerType, cause);
    }

    String type() {
        return headerType;
    }

    byte[] toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("errorMessage", message);
        if (errorType != null)
            node.put("errorType", errorType);
        if (stackTrace != null) {
            ArrayNode frames = node.putArray("stackTrace");
            for (String frame : stackTrace)
                frames.add(frame);
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    // The log line: "message: type", then the trace as Java prints it (causes, suppressed).
    void log(PrintStream out) {
        StringBuilder text = new StringBuilder(message);
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            text.append(": ").append(throwable.getClass().getName()).append('\n').append(trace).append('\n');
        } else {
            text.append('\n');
        }
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    static String messageOf(Throwable thrown) {
        String text = thrown.getLocalizedMessage();
        return text != null ? text : thrown.getClass().getName();
    }

    // Drops the runtime's own frames (and what called them) from a throwable, its causes and its
    // suppressed exceptions: the function's author sees only their code and the JDK's.
    private static void filter(Throwable thrown, Set<Throwable> seen) {
        if (thrown == null || !seen.add(thrown))
            return;
        StackTraceElement[] frames = thrown.getStackTrace();
        for (int i = 0; i < frames.length; ++i) {
            if (frames[i].getClassName().startsWith(RUNTIME_PACKAGE)) {
                StackTraceElement[] kept = new StackTraceElement[i];
                System.arraycopy(frames, 0, kept, 0, i);
                thrown.setStackTrace(kept);
                break;
            }
        }
        filter(thrown.getCause(), seen);
        for (Throwable suppressed : thrown.getSuppressed())
            filter(suppressed, seen);
    }
}
