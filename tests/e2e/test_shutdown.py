"""SIGTERM to the engine with invocations in flight: it ends within 10 s, answers them as failed,
records them, and leaves no sandbox process or VM behind."""

import concurrent.futures
import json
import os
import signal
import sqlite3
import time

from lambdesk_e2e import SANDBOX, EngineProcess, EngineTestCase, python_runtime, wait_until, zip_bytes

# A service manager's usual grace period is longer; the issue asks for 10 s.
SHUTDOWN_LIMIT_SECONDS = 10
ROLE = "arn:aws:iam::000000000000:role/x"
SLEEPER = "import time\ndef handler(event, context):\n    time.sleep(600)\n"
SANDBOX_PROGRAMS = ("bwrap", "runsc", "nsenter", "qemu-system", "lambdesk-sandbox")


class SigtermMidInvocation(EngineTestCase):
    def test_sigterm_answers_invocations_in_flight_and_leaves_nothing_behind(self):
        client = self.boto3_client()
        client.create_function(FunctionName="sleeper", Runtime=python_runtime(), Role=ROLE,
                               Handler="app.handler", Timeout=600, Code={"ZipFile": zip_bytes({"app.py": SLEEPER})})
        engine_pid = self.engine.proc.pid
        before = set(_descendants(engine_pid))

        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.addCleanup(pool.shutdown)
        in_flight = pool.submit(client.invoke, FunctionName="sleeper")
        # In flight: the engine has read the request and started a sandbox for it.
        started = lambda: [pid for pid in _descendants(engine_pid)
                           if pid not in before and _program(pid).startswith(SANDBOX_PROGRAMS)]
        self.assertTrue(wait_until(lambda: bool(started()), timeout=120), "no sandbox was started")
        # Queued behind it: an asynchronous event, acknowledged with 202.
        queued = client.invoke(FunctionName="sleeper", InvocationType="Event")
        self.assertEqual(queued["StatusCode"], 202)

        sandbox_pids = set(_descendants(engine_pid))
        began = time.monotonic()
        self.engine.proc.send_signal(signal.SIGTERM)
        self.engine.proc.wait(timeout=60)
        elapsed = time.monotonic() - began
        print("[ %s ] SIGTERM to exit with an invocation in flight: %.2f s" % (SANDBOX, elapsed))
        self.assertLess(elapsed, SHUTDOWN_LIMIT_SECONDS, "SIGTERM took %.1f s" % elapsed)
        self.assertEqual(self.engine.proc.returncode, 0, self.engine.proc.stderr.read())

        response = in_flight.result(timeout=30)
        body = json.loads(response["Payload"].read())
        self.assertEqual(response.get("FunctionError"), "Unhandled", body)
        self.assertIn("the engine is stopping", body["errorMessage"])
        self.assertTrue(wait_until(lambda: not [p for p in sandbox_pids if _alive(p)], timeout=10),
                        "outlived the engine: %s" % [(p, _program(p)) for p in sandbox_pids if _alive(p)])

        db = sqlite3.connect(os.path.join(self.data_dir, "lambdesk.db"))
        stored = {row[0]: row[1:] for row in db.execute("SELECT request_id, status, error_type FROM invocations")}
        waiting = {row[0] for row in db.execute("SELECT request_id FROM async_events")}
        db.close()
        in_flight_id = response["ResponseMetadata"]["RequestId"]
        self.assertIn(in_flight_id, stored, "the in-flight invocation was not recorded")
        self.assertNotEqual(stored[in_flight_id][0], "Success", stored[in_flight_id])
        # The asynchronous event stays in the durable queue, to run after the next start.
        self.assertIn(queued["ResponseMetadata"]["RequestId"], waiting)

        # The next engine on the same data dir starts normally.
        self.__class__.engine = EngineProcess(self.data_dir)


def _children_by_parent():
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError):
                pass
    return children


def _descendants(pid):
    children = _children_by_parent()
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _program(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return os.path.basename(f.read().split(b"\0", 1)[0].decode(errors="replace"))
    except OSError:
        return ""


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
