"""SIGKILL the engine in the middle of an invocation, restart it on the same data dir: every
function, deploy and recorded invocation is still there."""

import concurrent.futures
import json
import shutil
import sqlite3
import tempfile
import unittest
import os

from lambdesk_e2e import EngineProcess, EngineTestCase, python_runtime, wait_until, zip_bytes


class KillAndRestart(unittest.TestCase):
    def test_sigkill_mid_invocation_loses_nothing(self):
        data_dir = tempfile.mkdtemp(prefix="lambdesk-kill-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        engine = EngineProcess(data_dir)
        try:
            client = EngineTestCase.boto3_client(self, engine.url)
            role = "arn:aws:iam::000000000000:role/x"
            for i in range(3):
                client.create_function(FunctionName="keep-%d" % i, Runtime=python_runtime(), Role=role,
                                       Handler="app.handler",
                                       Code={"ZipFile": zip_bytes({"app.py": "def handler(e, c):\n    return %d\n" % i})})
            client.update_function_code(FunctionName="keep-0",
                                        ZipFile=zip_bytes({"app.py": "def handler(e, c):\n    return 'deployed'\n"}))
            client.create_function(FunctionName="slow", Runtime=python_runtime(), Role=role, Handler="app.handler",
                                   Timeout=60,
                                   Code={"ZipFile": zip_bytes({"app.py": "import time\ndef handler(e, c):\n    time.sleep(60)\n"})})
            request_ids = [client.invoke(FunctionName="keep-%d" % i)["ResponseMetadata"]["RequestId"] for i in range(3)]

            pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
            in_flight = pool.submit(client.invoke, FunctionName="slow")
            # Wait until the slow function's sandbox exists (its code tree is on a command line).
            slow_tree = os.path.join(data_dir, "functions", "slow")
            self.assertTrue(wait_until(lambda: bool(_processes_mentioning(slow_tree)), timeout=20))
            engine.kill()
            with self.assertRaises(Exception):
                in_flight.result(timeout=30)
            pool.shutdown()
            # No sandbox survives its engine.
            self.assertTrue(wait_until(lambda: not _processes_mentioning(data_dir), timeout=10),
                            [_describe(pid) for pid in _processes_mentioning(data_dir)])
        finally:
            engine.stop()

        engine = EngineProcess(data_dir)
        try:
            client = EngineTestCase.boto3_client(self, engine.url)
            names = sorted(f["FunctionName"] for f in client.list_functions()["Functions"])
            self.assertEqual(names, ["keep-0", "keep-1", "keep-2", "slow"])
            self.assertEqual(json.loads(client.invoke(FunctionName="keep-0")["Payload"].read()), "deployed")
            self.assertEqual(json.loads(client.invoke(FunctionName="keep-2")["Payload"].read()), 2)
        finally:
            engine.stop()
        db = sqlite3.connect(os.path.join(data_dir, "lambdesk.db"))
        stored = {row[0] for row in db.execute("SELECT request_id FROM invocations")}
        db.close()
        for request_id in request_ids:
            self.assertIn(request_id, stored)


def _processes_mentioning(path):
    """Processes whose command line mentions path (sandboxes bind the function's code tree)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/cmdline" % entry, "rb") as f:
                    if path.encode() in f.read():
                        found.append(int(entry))
            except OSError:
                pass
    return found


def _describe(pid):
    """A process as the failure message needs it: command line, state and parent."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmdline = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        with open("/proc/%d/status" % pid) as f:
            status = dict(line.split(":", 1) for line in f if ":" in line)
        return "%d %s (state %s, parent %s)" % (pid, cmdline[:300], status.get("State", "?").strip(),
                                                status.get("PPid", "?").strip())
    except OSError:
        return "%d (gone)" % pid


if __name__ == "__main__":
    unittest.main()
