package lambdesk.runtime;

// A handler that cannot be used, reported as Lambda's runtime reports it; fatal ones end the
// environment once reported.
final class HandlerFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ErrorDocument document;
    private final boolean fatal;

    HandlerFault(ErrorDocument document, boolean fatal) {
        super(null, null, false, false);
        this.document = document;
        this.fatal = fatal;
    }

    ErrorDocument document() {
        return document;
    }

    boolean fatal() {
        return fatal;
    }
}
