package lambdesk.runtime;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

// The function's classes, where Lambda's Java runtime looks for them: /var/task itself, then
// /var/task/lib/*.jar, then the layers' /opt/java/lib/*.jar, each list in name order. The API
// (aws-lambda-java-core's classes, org.crac) comes first, from the runtime: a copy in the
// function's jars is not used, as on Lambda.
final class FunctionClassPath {
    private FunctionClassPath() {
    }

    static ClassLoader loader() throws MalformedURLException {
        String root = System.getenv("LAMBDA_TASK_ROOT");
        if (root == null || root.isEmpty())
            root = "/var/task";
        List<URL> urls = new ArrayList<>();
        urls.add(new File(root).toURI().toURL());
        addJars(urls, new File(root, "lib"));
        addJars(urls, new File("/opt/java/lib"));
        ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]),
                new ApiOnlyLoader(FunctionClassPath.class.getClassLoader()));
        Thread.currentThread().setContextClassLoader(loader);
        return loader;
    }

    private static void addJars(List<URL> urls, File dir) throws MalformedURLException {
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
        if (jars == null)
            return;
        Arrays.sort(jars);
        for (File jar : jars)
            urls.add(jar.toURI().toURL());
    }
}
