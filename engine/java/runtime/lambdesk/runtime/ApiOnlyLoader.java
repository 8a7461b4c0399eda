package lambdesk.runtime;

import java.util.Set;

// What a function's classes see of the runtime: the Lambda API (aws-lambda-java-core's classes,
// org.crac) and the JDK. Not the runtime's own classes nor its Jackson, which Lambda's runtime
// shades out of the function's sight: a function that uses Jackson brings its own, as there.
final class ApiOnlyLoader extends ClassLoader {
    private static final Set<String> API_PACKAGES = Set.of("com.amazonaws.services.lambda.runtime",
            "com.amazonaws.services.lambda.runtime.logging", "org.crac");
    private final ClassLoader runtime;

    ApiOnlyLoader(ClassLoader runtime) {
        super(ClassLoader.getPlatformClassLoader());
        this.runtime = runtime;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        final int dot = name.lastIndexOf('.');
        if (dot > 0 && API_PACKAGES.contains(name.substring(0, dot)))
            return runtime.loadClass(name);
        return super.loadClass(name, resolve);
    }
}
