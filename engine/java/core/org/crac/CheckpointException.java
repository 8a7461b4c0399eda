package org.crac;

// Thrown when a checkpoint could not be made; the causes are its suppressed exceptions.
public class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckpointException() {
        super();
    }

    public CheckpointException(String message) {
        super(message);
    }
}
