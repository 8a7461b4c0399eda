package lambdesk.runtime;

import com.amazonaws.services.lambda.runtime.LambdaRuntimeInternal;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

// Lambdesk's Java runtime: loads the handler named by _HANDLER, then serves the invocations the
// Runtime API hands out, one at a time, for the life of the environment.
public final class Bootstrap {
    private Bootstrap() {
    }

    public static void main(String[] args) throws IOException {
        // Output reaches the log before the response is posted: standard output unbuffered.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        String address = System.getenv("AWS_LAMBDA_RUNTIME_API");
        if (address == null || address.isEmpty()) {
            System.err.println("AWS_LAMBDA_RUNTIME_API is not set");
            System.exit(1);
        }
        RuntimeApi api = new RuntimeApi(address);
        FramedLogger logger = new FramedLogger(out, System.getenv("AWS_LAMBDA_LOG_LEVEL"));
        LambdaRuntimeInternal.setLogger(logger);

        Handler handler;
        try {
            handler = HandlerLoader.load(System.getenv("_HANDLER"), FunctionClassPath.loader());
        } catch (Throwable failure) {
            reportAndExit(api, "init/error", ErrorDocument.of(failure), 1);
            return;
        }
        if ("snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE")))
            SnapshotHooks.checkpointAndRestore(api);

        while (true) {
            RuntimeApi.Answer next = api.get("invocation/next");
            if (next.status != 200) {
                System.err.println("Runtime API answered " + next.status + " to invocation/next");
                System.exit(1);
            }
            InvocationContext context = new InvocationContext(next, logger);
            byte[] result = null;
            ErrorDocument error = null;
            Throwable fatal = null;
            try {
                result = handler.invoke(next.body, context);
            } catch (Throwable failure) {
                error = ErrorDocument.of(failure);
                if (failure instanceof VirtualMachineError
                        || (failure instanceof HandlerFault && ((HandlerFault) failure).fatal()))
                    fatal = failure;
            }
            String path = "invocation/" + context.requestId();
            if (error == null) {
                api.post(path + "/response", result, null);
            } else {
                error.log(out);
                api.post(path + "/error", error.toJson(), error.type());
            }
            // The JVM is not to be trusted after an OutOfMemoryError or a StackOverflowError, nor
            // a class that failed to link: the environment ends, as on Lambda.
            if (fatal != null)
                System.exit(1);
        }
    }

    static void reportAndExit(RuntimeApi api, String path, ErrorDocument error, int status) {
        error.log(System.out);
        try {
            api.post(path, error.toJson(), error.type());
        } catch (IOException e) {
            System.err.println("cannot report the error to the Runtime API: " + e);
        }
        System.exit(status);
    }
}
