"""boto3 against lambdesk-engine: python, node and provided functions; errors, limits, throttling."""

import base64
import concurrent.futures
import json
import re
import time
import unittest

from lambdesk_e2e import SANDBOX, EngineTestCase, node_runtime, python_runtime, wait_until, zip_bytes

ECHO = """
import json, os
def handler(event, context):
    print("log line from", context.function_name)
    return {"event": event, "fn": context.function_name, "mem": context.memory_limit_in_mb,
            "env": os.environ.get("GREETING")}
"""


class Boto3Functions(EngineTestCase):
    def setUp(self):
        self.client = self.boto3_client()

    def create(self, name, files, runtime=None, handler="app.handler", modes=None, **kwargs):
        return self.client.create_function(
            FunctionName=name, Runtime=runtime or python_runtime(), Role="arn:aws:iam::000000000000:role/x",
            Handler=handler, Code={"ZipFile": zip_bytes(files, modes)}, **kwargs)

    def invoke(self, name, payload=b"{}", **kwargs):
        response = self.client.invoke(FunctionName=name, Payload=payload, **kwargs)
        response["Body"] = response["Payload"].read()
        return response

    def test_python_create_invoke_update_delete(self):
        created = self.create("py-echo", {"app.py": ECHO}, Environment={"Variables": {"GREETING": "hi"}},
                              MemorySize=256, Timeout=5)
        self.assertEqual(created["FunctionName"], "py-echo")
        self.assertEqual(created["MemorySize"], 256)
        self.assertTrue(created["CodeSha256"])
        self.assertEqual(created["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:py-echo")

        response = self.invoke("py-echo", json.dumps({"a": 1}).encode(), LogType="Tail")
        self.assertEqual(response["StatusCode"], 200)
        self.assertNotIn("FunctionError", response)
        body = json.loads(response["Body"])
        self.assertEqual(body, {"event": {"a": 1}, "fn": "py-echo", "mem": "256", "env": "hi"})
        log = base64.b64decode(response["LogResult"]).decode()
        self.assertIn("START RequestId:", log)
        self.assertIn("log line from py-echo", log)
        self.assertIn("REPORT RequestId:", log)
        self.assertIn("Init Duration:", log)
        self.assertEqual(response["ExecutedVersion"], "$LATEST")

        updated = self.client.update_function_code(
            FunctionName="py-echo", ZipFile=zip_bytes({"app.py": "def handler(e, c):\n    return 'v2'\n"}))
        self.assertNotEqual(updated["CodeSha256"], created["CodeSha256"])
        self.assertNotEqual(updated["RevisionId"], created["RevisionId"])
        self.assertEqual(json.loads(self.invoke("py-echo")["Body"]), "v2")

        config = self.client.update_function_configuration(FunctionName="py-echo", Timeout=9)
        self.assertEqual(config["Timeout"], 9)
        self.assertEqual(self.client.get_function_configuration(FunctionName="py-echo")["Timeout"], 9)
        names = [f["FunctionName"] for f in self.client.list_functions()["Functions"]]
        self.assertIn("py-echo", names)

        self.client.delete_function(FunctionName="py-echo")
        with self.assertRaises(self.client.exceptions.ResourceNotFoundException):
            self.client.get_function(FunctionName="py-echo")

    def test_node_function(self):
        runtime = node_runtime()
        self.create("node-fn", {"index.mjs": "export const handler = async (event) => ({sum: event.a + event.b});\n"},
                    runtime=runtime, handler="index.handler")
        response = self.invoke("node-fn", json.dumps({"a": 2, "b": 3}).encode())
        self.assertEqual(json.loads(response["Body"]), {"sum": 5})

    def test_provided_function(self):
        bootstrap = ("#!/bin/sh\nset -e\n"
                     "exec /usr/bin/python3 -c \"import os,urllib.request as u\n"
                     "api='http://'+os.environ['AWS_LAMBDA_RUNTIME_API']+'/2018-06-01/runtime/invocation/'\n"
                     "while True:\n"
                     " r=u.urlopen(api+'next'); rid=r.headers['Lambda-Runtime-Aws-Request-Id']; body=r.read()\n"
                     " u.urlopen(u.Request(api+rid+'/response', data=b'{\\\"provided\\\":'+body+b'}', method='POST')).read()\n\"\n")
        self.create("custom-fn", {"bootstrap": bootstrap}, runtime="provided.al2023", handler="x", modes={"bootstrap": 0o755})
        response = self.invoke("custom-fn", b'{"k": 1}')
        self.assertNotIn("FunctionError", response, response["Body"])
        self.assertEqual(json.loads(response["Body"]), {"provided": {"k": 1}})

    def test_snapstart_version(self):
        # AWS's runtime hooks: before-snapshot hooks in the reverse order of registration, then
        # after-restore hooks in order, each restore running its own.
        source = ("import os, random\n"
                  "from snapshot_restore_py import register_before_snapshot, register_after_restore\n"
                  "print('init ran', flush=True)\nTOKEN = os.urandom(8).hex()\nHOOKS = []\n"
                  "START = random.random()\n"
                  "@register_before_snapshot\n"
                  "def first():\n    HOOKS.append('before 1')\n"
                  "@register_before_snapshot\n"
                  "def second():\n    HOOKS.append('before 2')\n"
                  "def restored(tag, extra):\n    HOOKS.append('after %s %s %s' % (tag, extra, os.urandom(4).hex()))\n"
                  "register_after_restore(restored, 'a', extra='b')\n"
                  "def handler(event, context):\n"
                  "    return {'init': TOKEN, 'now': os.urandom(8).hex(), 'hooks': HOOKS, 'random': random.random(),\n"
                  "            'type': os.environ.get('AWS_LAMBDA_INITIALIZATION_TYPE'),\n"
                  "            'stream': os.environ.get('AWS_LAMBDA_LOG_STREAM_NAME')}\n")
        created = self.create("snap-fn", {"app.py": source}, SnapStart={"ApplyOn": "PublishedVersions"})
        self.assertEqual(created["SnapStart"], {"ApplyOn": "PublishedVersions", "OptimizationStatus": "Off"})
        version = self.client.publish_version(FunctionName="snap-fn")
        self.assertEqual(version["SnapStart"]["OptimizationStatus"], "On")

        def cold_start(serial):
            self.client.update_function_configuration(FunctionName="snap-fn", Description="cold %d" % serial)
            response = self.invoke("snap-fn", Qualifier=version["Version"], LogType="Tail")
            self.assertNotIn("FunctionError", response, response["Body"])
            self.assertEqual(response["ExecutedVersion"], version["Version"])
            return json.loads(response["Body"]), base64.b64decode(response["LogResult"]).decode()

        first, log = cold_start(0)
        self.assertIn("init ran", log)
        # As in Lambda: a SnapStart version says so and has no log stream variables.
        self.assertEqual(first["type"], "snap-start")
        self.assertIsNone(first["stream"])
        self.assertEqual(first["hooks"][:2], ["before 2", "before 1"])
        self.assertRegex(first["hooks"][2], r"^after a b [0-9a-f]{8}$")
        self.assertEqual(len(first["hooks"]), 3)
        if SANDBOX != "microvm":
            return  # SnapStart is a microVM feature; elsewhere a version simply runs its init
        # The version's snapshot is made in the background after its first cold start; from then
        # on a cold start resumes it: no init output, init's state from the snapshot.
        restored = []
        serial = 1
        deadline = time.monotonic() + 180
        while len(restored) < 2:
            self.assertLess(time.monotonic(), deadline, "no cold start was served from the snapshot")
            body, log = cold_start(serial)
            serial += 1
            if "init ran" in log:
                self.assertIn("Init Duration:", log)
                continue
            # Lambda's log of a restore: RESTORE_START and RESTORE_REPORT, and a REPORT with
            # Restore Duration in place of Init Duration.
            self.assertIn("RESTORE_START Runtime Version:", log)
            self.assertRegex(log, r"RESTORE_REPORT Restore Duration: [0-9.]+ ms")
            self.assertRegex(log, r"REPORT RequestId: .*\tRestore Duration: [0-9.]+ ms\tBilled Restore Duration: \d+ ms")
            self.assertNotIn("Init Duration", log)
            restored.append(body)
        self.assertEqual(restored[0]["init"], restored[1]["init"])
        self.assertNotEqual(restored[0]["now"], restored[1]["now"])  # fresh entropy per restore
        # The before-snapshot hooks ran once, before the snapshot; each restore ran its own
        # after-restore hook, and got a random stream of its own.
        self.assertEqual(restored[0]["hooks"][:2], ["before 2", "before 1"])
        self.assertEqual(len(restored[0]["hooks"]), 3)
        self.assertNotEqual(restored[0]["hooks"][2], restored[1]["hooks"][2])
        self.assertNotEqual(restored[0]["random"], restored[1]["random"])

    def test_function_error_timeout_crash_and_memory(self):
        self.create("err-fn", {"app.py": "def handler(e, c):\n    raise KeyError('missing')\n"})
        response = self.invoke("err-fn")
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertEqual(json.loads(response["Body"])["errorType"], "KeyError")

        self.create("slow-fn", {"app.py": "import time\ndef handler(e, c):\n    time.sleep(10)\n"}, Timeout=1)
        response = self.invoke("slow-fn")
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertIn("Task timed out after 1.00 seconds", response["Body"].decode())

        self.create("crash-fn", {"app.py": "import os\ndef handler(e, c):\n    os._exit(1)\n"})
        response = self.invoke("crash-fn")
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertEqual(json.loads(response["Body"])["errorType"], "Runtime.ExitError")

        self.create("oom-fn", {"app.py": "def handler(e, c):\n    x = []\n    while True:\n        x.append(bytearray(8 << 20))\n"},
                    MemorySize=128, Timeout=30)
        response = self.invoke("oom-fn", LogType="Tail")
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertEqual(json.loads(response["Body"])["errorType"], "Runtime.OutOfMemory")
        # Its REPORT shows the memory it reached before the kill, not what was left after it.
        report = base64.b64decode(response["LogResult"]).decode()
        self.assertGreaterEqual(int(re.search(r"Max Memory Used: (\d+) MB", report).group(1)), 64, report)
        # The engine is still fine afterwards.
        self.assertEqual(self.invoke("err-fn")["StatusCode"], 200)

    def test_concurrency_and_throttle(self):
        self.create("busy-fn", {"app.py": "import time\ndef handler(e, c):\n    time.sleep(e.get('s', 0))\n    return 1\n"},
                    Timeout=10)
        self.client.put_function_concurrency(FunctionName="busy-fn", ReservedConcurrentExecutions=2)
        self.assertEqual(self.client.get_function_concurrency(FunctionName="busy-fn")["ReservedConcurrentExecutions"], 2)
        # Three concurrent calls against two reserved slots: two run, one gets 429 at once.
        def call():
            try:
                return self.invoke("busy-fn", b'{"s": 3}')["StatusCode"]
            except self.client.exceptions.TooManyRequestsException as e:
                return e.response["ResponseMetadata"]["HTTPStatusCode"]
        with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
            statuses = sorted(pool.map(lambda _: call(), range(3)))
        self.assertEqual(statuses, [200, 200, 429])

    def test_bad_input(self):
        self.create("good-fn", {"app.py": ECHO})
        with self.assertRaises(self.client.exceptions.InvalidRequestContentException):
            self.invoke("good-fn", b"{not json")
        with self.assertRaises(self.client.exceptions.RequestTooLargeException):
            self.invoke("good-fn", b'"' + b"x" * (7 * 1024 * 1024) + b'"')
        with self.assertRaises(self.client.exceptions.ResourceNotFoundException):
            self.invoke("no-such-function")
        with self.assertRaises(self.client.exceptions.ClientError) as bad_name:
            self.create("bad name!", {"app.py": ECHO})
        self.assertEqual(bad_name.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        with self.assertRaises(self.client.exceptions.InvalidParameterValueException):
            self.create("slip-fn", {"../../evil.py": "x"})
        with self.assertRaises(self.client.exceptions.ResourceConflictException):
            self.create("good-fn", {"app.py": ECHO})
        # A failed update leaves the previous code in place.
        with self.assertRaises(self.client.exceptions.InvalidParameterValueException):
            self.client.update_function_code(FunctionName="good-fn", ZipFile=b"not a zip")
        self.assertEqual(self.invoke("good-fn")["StatusCode"], 200)


class Boto3IdleExpiry(EngineTestCase):
    engine_args = ("--idle-timeout", "1")

    def test_idle_environment_expires(self):
        client = self.boto3_client()
        client.create_function(FunctionName="idle-fn", Runtime=python_runtime(), Role="arn:aws:iam::000000000000:role/x",
                               Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": "def handler(e, c):\n    return 1\n"})})

        def init_in_log():
            response = client.invoke(FunctionName="idle-fn", LogType="Tail")
            return "Init Duration" in base64.b64decode(response["LogResult"]).decode()

        self.assertTrue(init_in_log())      # cold
        self.assertFalse(init_in_log())     # warm, right after
        # After the 1 s idle timeout the environment is gone and the next call is cold again.
        # Polls are spaced wider than the idle timeout, so a poll never keeps the environment warm.
        self.assertTrue(wait_until(init_in_log, timeout=20, interval=1.3))


if __name__ == "__main__":
    unittest.main()
