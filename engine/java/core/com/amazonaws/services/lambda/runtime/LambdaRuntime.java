package com.amazonaws.services.lambda.runtime;

import java.nio.charset.StandardCharsets;

// The logger for code that has no Context at hand. The runtime installs the one it frames;
// until then (or outside Lambda) lines go to standard output as they are.
public final class LambdaRuntime {
    static volatile LambdaLogger logger = new LambdaLogger() {
        @Override
        public void log(String message) {
            System.out.print(message);
            System.out.flush();
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    };

    private LambdaRuntime() {
    }

    public static LambdaLogger getLogger() {
        return logger;
    }
}
