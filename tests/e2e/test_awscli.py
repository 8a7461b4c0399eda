"""The AWS CLI (Debian awscli) against lambdesk-engine, unchanged: create, invoke, update, delete."""

import base64
import json
import os
import tempfile
import unittest

from lambdesk_e2e import EngineTestCase, python_runtime, zip_bytes


class AwsCli(EngineTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lambdesk-cli-")

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def test_lifecycle_through_the_cli(self):
        code = self.write("fn.zip", zip_bytes({"app.py": "def handler(e, c):\n    print('cli!')\n    return {'got': e}\n"}))
        created = self.aws_json("create-function", "--function-name", "cli-fn", "--runtime", python_runtime(),
                                "--handler", "app.handler", "--role", "arn:aws:iam::000000000000:role/x",
                                "--zip-file", "fileb://" + code, "--tags", "team=core")
        self.assertEqual(created["FunctionName"], "cli-fn")
        self.assertEqual(created["State"], "Active")

        out = os.path.join(self.tmp, "out.json")
        result = self.aws_json("invoke", "--function-name", "cli-fn", "--payload", '{"x": 1}',
                               "--cli-binary-format", "raw-in-base64-out", "--log-type", "Tail", out)
        self.assertEqual(result["StatusCode"], 200)
        self.assertIn("cli!", base64.b64decode(result["LogResult"]).decode())
        with open(out) as f:
            self.assertEqual(json.load(f), {"got": {"x": 1}})

        listed = self.aws_json("list-functions")
        self.assertIn("cli-fn", [f["FunctionName"] for f in listed["Functions"]])
        self.assertEqual(self.aws_json("list-tags", "--resource", created["FunctionArn"])["Tags"]["team"], "core")

        code2 = self.write("fn2.zip", zip_bytes({"app.py": "def handler(e, c):\n    return 'two'\n"}))
        updated = self.aws_json("update-function-code", "--function-name", "cli-fn", "--zip-file", "fileb://" + code2)
        self.assertNotEqual(updated["CodeSha256"], created["CodeSha256"])
        self.aws("invoke", "--function-name", "cli-fn", out)
        with open(out) as f:
            self.assertEqual(json.load(f), "two")

        version = self.aws_json("publish-version", "--function-name", "cli-fn")
        self.assertEqual(version["Version"], "1")
        self.aws("invoke", "--function-name", "cli-fn", "--qualifier", "1", out)

        self.aws("delete-function", "--function-name", "cli-fn")
        missing = self.aws("get-function", "--function-name", "cli-fn", check=False)
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("ResourceNotFoundException", missing.stderr)

    def test_pagination_through_the_cli(self):
        code = self.write("p.zip", zip_bytes({"app.py": "def handler(e, c):\n    return 1\n"}))
        for i in range(5):
            self.aws("create-function", "--function-name", "page-%d" % i, "--runtime", python_runtime(),
                     "--handler", "app.handler", "--role", "arn:aws:iam::000000000000:role/x",
                     "--zip-file", "fileb://" + code)
        # The CLI follows NextMarker by itself with a small page size.
        listed = self.aws_json("list-functions", "--page-size", "2")
        names = [f["FunctionName"] for f in listed["Functions"] if f["FunctionName"].startswith("page-")]
        self.assertEqual(sorted(names), ["page-%d" % i for i in range(5)])

    def test_error_type_reaches_the_cli(self):
        result = self.aws("get-function", "--function-name", "nope", check=False)
        self.assertIn("ResourceNotFoundException", result.stderr)
        result = self.aws("create-function", "--function-name", "has space", "--runtime", python_runtime(),
                          "--handler", "a.b", "--role", "arn:aws:iam::000000000000:role/x",
                          "--zip-file", "fileb://" + self.write("z.zip", zip_bytes({"a.py": ""})), check=False)
        self.assertNotEqual(result.returncode, 0)


if __name__ == "__main__":
    unittest.main()
