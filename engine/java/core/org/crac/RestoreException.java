package org.crac;

// Thrown when a restore did not complete; the causes are its suppressed exceptions.
public class RestoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public RestoreException() {
        super();
    }

    public RestoreException(String message) {
        super(message);
    }
}
