package com.amazonaws.services.lambda.runtime;

// How the runtime installs its logger into LambdaRuntime (not for functions' use).
public final class LambdaRuntimeInternal {
    private LambdaRuntimeInternal() {
    }

    public static void setLogger(LambdaLogger logger) {
        LambdaRuntime.logger = logger;
    }
}
