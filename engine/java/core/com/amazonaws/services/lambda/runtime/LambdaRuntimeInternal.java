package com.amazonaws.services.lambda.runtime;

// What the runtime and AWS's logging appenders (aws-lambda-java-log4j2) set up, not for
// functions' use.
public final class LambdaRuntimeInternal {
    private static volatile boolean useLog4jAppender;

    private LambdaRuntimeInternal() {
    }

    public static void setLogger(LambdaLogger logger) {
        LambdaRuntime.logger = logger;
    }

    public static void setUseLog4jAppender(boolean useLog4j) {
        useLog4jAppender = useLog4j;
    }

    public static boolean getUseLog4jAppender() {
        return useLog4jAppender;
    }
}
