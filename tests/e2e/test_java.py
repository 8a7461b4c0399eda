"""Java functions (java11, java17 and java21, served by the JDK installed: Debian 12's OpenJDK 17)
through boto3, as AWS's Java runtime runs them: handlers compiled here against Lambdesk's own
com.amazonaws.services.lambda.runtime classes and packaged as a zip (classes at the root, jars
in lib/) or a single jar; RequestHandler<I, O>, RequestStreamHandler and Class::method handlers;
POJOs through Jackson; errors with the exception's class and frames; init errors; the log;
timeouts and the memory limit; cold then warm; SnapStart with org.crac hooks."""

import base64
import io
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
import zipfile

from lambdesk_e2e import ENGINE, SANDBOX, EngineTestCase

ROLE = "arn:aws:iam::000000000000:role/x"

SOURCES = {
    "example/Hello.java": r'''
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

public class Hello implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    static final long STARTED = System.nanoTime();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        System.out.println("event " + event);
        context.getLogger().log("from the logger\n");
        if (event.containsKey("sleep")) {
            try {
                Thread.sleep(((Number) event.get("sleep")).longValue() * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (event.containsKey("hog")) {
            java.util.List<byte[]> hog = new java.util.ArrayList<>();
            while (true)
                hog.add(new byte[8 << 20]);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("echo", event);
        out.put("request", context.getAwsRequestId());
        out.put("function", context.getFunctionName());
        out.put("version", context.getFunctionVersion());
        out.put("memory", context.getMemoryLimitInMB());
        out.put("arn", context.getInvokedFunctionArn());
        out.put("group", context.getLogGroupName());
        out.put("left", context.getRemainingTimeInMillis());
        out.put("started", STARTED);
        out.put("env", System.getenv("AWS_EXECUTION_ENV"));
        out.put("java", System.getProperty("java.specification.version"));
        out.put("heap", Runtime.getRuntime().maxMemory());
        return out;
    }
}
''',
    "example/Orders.java": r'''
package example;

import com.amazonaws.services.lambda.runtime.Context;

public class Orders {
    public static class Order {
        public String id;
        public int quantity;
        public java.util.List<String> items;
    }

    public static class Receipt {
        public String orderId;
        public int total;
        public String note;  // null: left out of the JSON
        public String by;
    }

    public Receipt place(Order order, Context context) {
        Receipt receipt = new Receipt();
        receipt.orderId = order.id;
        receipt.total = order.quantity * order.items.size();
        receipt.by = context.getFunctionName();
        return receipt;
    }

    public static String greet(String name) {
        return "Hello, " + name + "!";
    }

    public void nothing(Context context) {
    }

    // Whether the function's code can load a class: the Lambda API yes, the runtime's own
    // classes and its Jackson no (shaded away on Lambda).
    public static boolean sees(String className) {
        try {
            Class.forName(className, false, Orders.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
''',
    # A stand-in with the shape of aws-lambda-java-events' SQSEvent (a function ships that jar in
    # lib/; Maven Central is out of reach here): bean properties "records", "eventSourceArn", ...
    "com/amazonaws/services/lambda/runtime/events/SQSEvent.java": r'''
package com.amazonaws.services.lambda.runtime.events;

import java.util.List;

public class SQSEvent {
    private List<SQSMessage> records;

    public List<SQSMessage> getRecords() { return records; }
    public void setRecords(List<SQSMessage> records) { this.records = records; }

    public static class SQSMessage {
        private String messageId;
        private String body;
        private String eventSourceArn;

        public String getMessageId() { return messageId; }
        public void setMessageId(String messageId) { this.messageId = messageId; }
        public String getBody() { return body; }
        public void setBody(String body) { this.body = body; }
        public String getEventSourceArn() { return eventSourceArn; }
        public void setEventSourceArn(String eventSourceArn) { this.eventSourceArn = eventSourceArn; }
    }
}
''',
    "example/Queue.java": r'''
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

public class Queue implements RequestHandler<SQSEvent, String> {
    public String handleRequest(SQSEvent event, Context context) {
        StringBuilder out = new StringBuilder();
        for (SQSEvent.SQSMessage message : event.getRecords())
            out.append(message.getMessageId()).append('=').append(message.getBody()).append(' ');
        return out + "from " + event.getRecords().get(0).getEventSourceArn();
    }
}
''',
    "example/Upper.java": r'''
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

public class Upper implements RequestStreamHandler {
    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        out.write(text.toUpperCase().getBytes(StandardCharsets.UTF_8));
    }
}
''',
    "example/Fails.java": r'''
package example;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.Map;

public class Fails {
    public String handle(Map<String, Object> event, Context context) {
        return check(event);
    }

    private String check(Map<String, Object> event) {
        throw new IllegalArgumentException("bad input");
    }
}
''',
    "example/BadInit.java": r'''
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

public class BadInit implements RequestHandler<String, String> {
    static final int VALUE = Integer.parseInt("not a number");

    public String handleRequest(String input, Context context) {
        return input;
    }
}
''',
    "example/Snap.java": r'''
package example;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.crac.Core;
import org.crac.Resource;

public class Snap implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    static final String INIT = UUID.randomUUID().toString();
    static final List<String> HOOKS = new ArrayList<>();

    static final class Hook implements Resource {
        private final String name;

        Hook(String name) {
            this.name = name;
        }

        @Override
        public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
            HOOKS.add("before " + name);
        }

        @Override
        public void afterRestore(org.crac.Context<? extends Resource> context) {
            HOOKS.add("after " + name + " " + UUID.randomUUID().toString().substring(0, 8));
        }
    }

    // org.crac holds resources weakly: a function keeps the ones it registers.
    static final List<Hook> KEPT = List.of(new Hook("1"), new Hook("2"));

    public Snap() {
        System.out.println("init ran");
        for (Hook hook : KEPT)
            Core.getGlobalContext().register(hook);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("init", INIT);
        out.put("hooks", new ArrayList<>(HOOKS));
        out.put("type", System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
        return out;
    }
}
''',
}


def api_jar():
    return os.path.join(os.path.dirname(os.path.dirname(ENGINE)), "runtimes", "java", "lambdesk-java-core.jar")


def compile_classes(sources, extra_classpath=()):
    """Compiles {path: source} with javac against Lambdesk's API jar: {class path: bytes}."""
    with tempfile.TemporaryDirectory() as work:
        paths = []
        for path, text in sources.items():
            full = os.path.join(work, "src", path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
            paths.append(full)
        classes = os.path.join(work, "classes")
        classpath = ":".join([api_jar(), *extra_classpath])
        subprocess.run(["javac", "--release", "11", "-proc:none", "-cp", classpath, "-d", classes, *paths],
                       check=True, capture_output=True, text=True)
        out = {}
        for root, _, files in os.walk(classes):
            for name in files:
                full = os.path.join(root, name)
                with open(full, "rb") as f:
                    out[os.path.relpath(full, classes)] = f.read()
        return out


def archive(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for path, content in files.items():
            out.writestr(zipfile.ZipInfo(path, date_time=(2024, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


class JavaFunctions(EngineTestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("javac"):
            raise unittest.SkipTest("no javac on this machine (apt install openjdk-17-jdk-headless)")
        if not os.path.exists(api_jar()):
            raise unittest.SkipTest("the Java runtime was not built: no " + api_jar())
        cls.classes = compile_classes(SOURCES)
        super().setUpClass()

    def setUp(self):
        self.client = self.boto3_client()
        try:
            self.create("java-probe", Handler="example.Hello")
        except self.client.exceptions.InvalidParameterValueException as error:
            self.skipTest("Java cannot run here: " + str(error))
        self.client.delete_function(FunctionName="java-probe")

    def create(self, name, zip_file=None, runtime="java17", **kwargs):
        kwargs.setdefault("Handler", "example.Hello")
        kwargs.setdefault("MemorySize", 512)
        kwargs.setdefault("Timeout", 30)
        return self.client.create_function(FunctionName=name, Runtime=runtime, Role=ROLE,
                                           Code={"ZipFile": zip_file or archive(self.classes)}, **kwargs)

    def invoke(self, name, payload, **kwargs):
        response = self.client.invoke(FunctionName=name, Payload=json.dumps(payload), LogType="Tail", **kwargs)
        return response, response["Payload"].read(), base64.b64decode(response["LogResult"]).decode()

    def test_request_handler_with_its_context_cold_then_warm(self):
        self.create("java-echo", Timeout=10)
        response, raw, log = self.invoke("java-echo", {"key1": "value1", "n": [1, 2.5, None]})
        body = json.loads(raw)
        self.assertNotIn("FunctionError", response, body)
        self.assertEqual(body["echo"], {"key1": "value1", "n": [1, 2.5, None]})
        self.assertEqual(body["request"], response["ResponseMetadata"]["RequestId"])
        self.assertEqual((body["function"], body["version"], body["memory"]), ("java-echo", "$LATEST", 512))
        self.assertEqual(body["arn"], "arn:aws:lambda:us-east-1:000000000000:function:java-echo")
        self.assertEqual(body["group"], "/aws/lambda/java-echo")
        self.assertTrue(0 < body["left"] <= 10000, body["left"])
        self.assertEqual(body["env"], "AWS_Lambda_java17")
        # The heap as Lambda sizes it: 85% of 512 MB (-XX:MaxHeapSize=445645k), less what the
        # collector keeps back.
        self.assertTrue(380 << 20 < body["heap"] <= 445645 * 1024, body["heap"])
        self.assertIn("event {key1=value1, n=[1, 2.5, null]}", log)
        self.assertIn("from the logger", log)
        self.assertIn("Init Duration", log)
        _, warm_raw, warm_log = self.invoke("java-echo", {"again": True})
        self.assertEqual(json.loads(warm_raw)["started"], body["started"], "the same environment, warm")
        self.assertNotIn("Init Duration", warm_log)

    def test_every_java_id_runs_on_the_installed_jdk(self):
        for runtime in ("java11", "java21"):
            self.create("java-" + runtime, runtime=runtime)
            _, raw, log = self.invoke("java-" + runtime, {})
            self.assertEqual(json.loads(raw).get("env"), "AWS_Lambda_" + runtime, log)

    def test_method_handlers_pojos_strings_and_streams(self):
        self.create("java-orders", Handler="example.Orders::place")
        _, raw, _ = self.invoke("java-orders", {"id": "o-1", "quantity": 3, "items": ["a", "b"], "extra": 1})
        self.assertEqual(json.loads(raw), {"orderId": "o-1", "total": 6, "by": "java-orders"})
        self.create("java-greet", Handler="example.Orders::greet")
        _, raw, _ = self.invoke("java-greet", "Duke")
        self.assertEqual(raw, b'"Hello, Duke!"')
        self.create("java-void", Handler="example.Orders::nothing")
        _, raw, _ = self.invoke("java-void", {})
        self.assertEqual(raw, b"null")
        self.create("java-upper", Handler="example.Upper")
        _, raw, _ = self.invoke("java-upper", {"word": "shout"})
        self.assertEqual(raw, b'{"WORD": "SHOUT"}')

    def test_the_function_sees_the_lambda_api_but_not_the_runtime_or_its_jackson(self):
        self.create("java-sees", Handler="example.Orders::sees")
        for name, visible in (("com.amazonaws.services.lambda.runtime.Context", True),
                              ("org.crac.Core", True),
                              ("com.fasterxml.jackson.databind.ObjectMapper", False),
                              ("lambdesk.runtime.Bootstrap", False)):
            _, raw, _ = self.invoke("java-sees", name)
            self.assertEqual(json.loads(raw), visible, name)

    def test_an_aws_lambda_java_events_class_reads_the_services_field_names(self):
        # SQS's event names its fields "Records" and "eventSourceARN"; the events library's
        # properties are "records" and "eventSourceArn", which Lambda's serialization maps.
        self.create("java-sqs", Handler="example.Queue")
        event = {"Records": [{"messageId": "m1", "body": "hello", "eventSource": "aws:sqs",
                              "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:q"},
                             {"messageId": "m2", "body": "world", "eventSource": "aws:sqs",
                              "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:q"}]}
        response, raw, _ = self.invoke("java-sqs", event)
        self.assertNotIn("FunctionError", response, raw)
        self.assertEqual(json.loads(raw), "m1=hello m2=world from arn:aws:sqs:us-east-1:000000000000:q")

    def test_a_single_jar_and_jars_in_lib(self):
        # A jar is a zip: Lambda unpacks it as it does a zip. Classes may also come from lib/*.jar.
        jar = archive({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n", **self.classes})
        self.create("java-jar", jar)
        response, raw, _ = self.invoke("java-jar", {"x": 1})
        self.assertNotIn("FunctionError", response, raw)
        self.create("java-lib", archive({"lib/app.jar": jar}), Handler="example.Orders::greet")
        _, raw, _ = self.invoke("java-lib", "lib")
        self.assertEqual(raw, b'"Hello, lib!"')

    def test_sources_are_compiled_on_deploy_and_a_compile_error_keeps_the_previous_code(self):
        # The Lambda console cannot edit Java; Lambdesk compiles the sources Deploy is given.
        greeter = ("package example;\n\n"
                   "import com.amazonaws.services.lambda.runtime.Context;\n"
                   "import com.amazonaws.services.lambda.runtime.RequestHandler;\n\n"
                   "public class Greeter implements RequestHandler<String, String> {\n"
                   "    public String handleRequest(String name, Context context) {\n"
                   "        return %s;\n"
                   "    }\n"
                   "}\n")
        helper = "package example;\n\nclass Helper {\n}\n"
        sources = {"src/main/java/example/Greeter.java": greeter % '"Hi " + name',
                   "src/main/java/example/Helper.java": helper}
        self.create("java-sources", archive(sources), Handler="example.Greeter")
        _, raw, _ = self.invoke("java-sources", "Ada")
        self.assertEqual(raw, b'"Hi Ada"')

        broken = dict(sources, **{"src/main/java/example/Greeter.java": greeter % '"Hi " + nam'})
        with self.assertRaises(self.client.exceptions.InvalidParameterValueException) as refused:
            self.client.update_function_code(FunctionName="java-sources", ZipFile=archive(broken))
        message = str(refused.exception)
        self.assertIn("Build failed (javac: exit status 1):", message)
        self.assertIn("src/main/java/example/Greeter.java:8: error: cannot find symbol", message)
        _, raw, _ = self.invoke("java-sources", "Ada")
        self.assertEqual(raw, b'"Hi Ada"', "the previous code still runs")

        # A class whose source is gone goes with it: the build starts from the sources alone.
        self.client.update_function_code(
            FunctionName="java-sources",
            ZipFile=archive({"src/main/java/example/Greeter.java": greeter % '"Hello " + name',
                             "example/Helper.class": self.classes["example/Orders.class"]}))
        _, raw, _ = self.invoke("java-sources", "Ada")
        self.assertEqual(raw, b'"Hello Ada"')
        location = self.client.get_function(FunctionName="java-sources")["Code"]["Location"]
        names = zipfile.ZipFile(io.BytesIO(self.download(location))).namelist()
        self.assertIn("example/Greeter.class", names)
        self.assertNotIn("example/Helper.class", names)

    def test_errors_as_awss_java_runtime_reports_them(self):
        self.create("java-error", Handler="example.Fails::handle")
        response, raw, log = self.invoke("java-error", {})
        body = json.loads(raw)
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertEqual(body["errorType"], "java.lang.IllegalArgumentException")
        self.assertEqual(body["errorMessage"], "bad input")
        self.assertRegex(body["stackTrace"][0], r"^example\.Fails\.check\(Fails\.java:\d+\)$")
        self.assertRegex(body["stackTrace"][1], r"^example\.Fails\.handle\(Fails\.java:\d+\)$")
        self.assertFalse([f for f in body["stackTrace"] if f.startswith("lambdesk.")], body)
        self.assertIn("bad input: java.lang.IllegalArgumentException", log)

        self.create("java-bad-json", Handler="example.Orders::place")
        _, raw, _ = self.invoke("java-bad-json", [1, 2, 3])
        self.assertEqual(json.loads(raw), {"errorMessage": "An error occurred during JSON parsing",
                                           "errorType": "java.lang.RuntimeException", "stackTrace": []})

        self.create("java-missing", Handler="example.Nowhere")
        response, raw, _ = self.invoke("java-missing", {})
        self.assertEqual(json.loads(raw), {"errorMessage": "Class not found: example.Nowhere",
                                           "errorType": "java.lang.ClassNotFoundException"})
        self.create("java-no-method", Handler="example.Orders::absent")
        _, raw, _ = self.invoke("java-no-method", {})
        self.assertEqual(json.loads(raw), {"errorMessage": "No public method named absent with appropriate "
                                                           "method signature found on class example.Orders"})
        self.create("java-bad-init", Handler="example.BadInit")
        response, raw, log = self.invoke("java-bad-init", "x")
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertEqual(json.loads(raw)["errorMessage"], "Error loading class example.BadInit")
        self.assertEqual(json.loads(raw)["errorType"], "java.lang.ExceptionInInitializerError")
        self.assertIn('For input string: "not a number"', log)

    def test_timeout_and_memory_limit(self):
        self.create("java-slow", Timeout=1)
        response, raw, _ = self.invoke("java-slow", {"sleep": 5})
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertIn("Task timed out after 1.00 seconds", raw.decode())
        self.create("java-hog")
        response, raw, _ = self.invoke("java-hog", {"hog": True})
        self.assertEqual(response["FunctionError"], "Unhandled")
        # The heap limit, or the environment's memory if the JVM's own overhead reaches it first:
        # either way the environment ends and the next invoke starts cold.
        self.assertIn(json.loads(raw)["errorType"], ("java.lang.OutOfMemoryError", "Runtime.OutOfMemory"))
        _, _, log = self.invoke("java-hog", {})
        self.assertIn("Init Duration", log)

    def test_snapstart_version_with_crac_hooks(self):
        created = self.create("java-snap", Handler="example.Snap", SnapStart={"ApplyOn": "PublishedVersions"})
        self.assertEqual(created["SnapStart"]["ApplyOn"], "PublishedVersions")
        version = self.client.publish_version(FunctionName="java-snap")["Version"]

        def cold_start(serial):
            self.client.update_function_configuration(FunctionName="java-snap", Description="cold %d" % serial)
            response, raw, log = self.invoke("java-snap", {}, Qualifier=version)
            self.assertNotIn("FunctionError", response, raw)
            return json.loads(raw), log

        first, log = cold_start(0)
        self.assertIn("init ran", log)
        self.assertEqual(first["type"], "snap-start")
        # beforeCheckpoint in the reverse order of registration, afterRestore in that order.
        self.assertEqual(first["hooks"][:2], ["before 2", "before 1"])
        self.assertRegex(first["hooks"][2], r"^after 1 [0-9a-f]{8}$")
        self.assertRegex(first["hooks"][3], r"^after 2 [0-9a-f]{8}$")
        if SANDBOX != "microvm":
            return  # SnapStart is a microVM feature; elsewhere a version simply runs its init
        restored = []
        serial = 1
        deadline = time.monotonic() + 300
        while len(restored) < 2:
            self.assertLess(time.monotonic(), deadline, "no cold start was served from the snapshot")
            body, log = cold_start(serial)
            serial += 1
            if "init ran" in log:
                continue
            self.assertRegex(log, r"RESTORE_REPORT Restore Duration: [0-9.]+ ms")
            restored.append(body)
        self.assertEqual(restored[0]["init"], restored[1]["init"])
        self.assertEqual(restored[0]["hooks"][:2], ["before 2", "before 1"])
        self.assertEqual(len(restored[0]["hooks"]), 4)
        self.assertNotEqual(restored[0]["hooks"][2], restored[1]["hooks"][2])


if __name__ == "__main__":
    unittest.main()
