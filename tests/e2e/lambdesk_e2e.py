"""Shared harness for the end-to-end tests: a real lambdesk-engine on a free loopback port, driven
by the real AWS clients (awscli, boto3). No fixed sleeps: every wait has a condition and a deadline."""

import io
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import zipfile

ENGINE = os.environ.get("LAMBDESK_ENGINE", "")
# Which sandbox backend the suite runs against (CTest registers one run per working backend).
SANDBOX = os.environ.get("LAMBDESK_E2E_SANDBOX", "process")


def api_only(test):
    """An API check that does not depend on the sandbox: run it on the process backend only."""
    return unittest.skipIf(SANDBOX != "process", "the API is checked on the process backend")(test)
# "verify": the engine runs with --auth verify and the clients sign with the profile it generated.
AUTH = os.environ.get("LAMBDESK_E2E_AUTH", "any-key")
REGION = "us-east-1"
CLIENT_ENV = {
    "AWS_ACCESS_KEY_ID": "AKIDLAMBDESKTEST",
    "AWS_SECRET_ACCESS_KEY": "lambdesk-test-secret",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_PAGER": "",
}
os.environ.update(CLIENT_ENV)


def wait_until(condition, timeout=10.0, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


class EngineProcess:
    """lambdesk-engine as a child process; `url` is set once it printed its listening line."""

    def __init__(self, data_dir, *extra_args):
        if not ENGINE or not os.path.exists(ENGINE):
            raise unittest.SkipTest("LAMBDESK_ENGINE not set or missing: " + ENGINE)
        self.data_dir = data_dir
        auth = ["--auth", "verify"] if AUTH == "verify" else []
        verify = bool(auth) or ("--auth", "verify") in zip(extra_args, extra_args[1:])
        self.saved_env = (dict(os.environ), dict(CLIENT_ENV))
        self.proc = subprocess.Popen(
            [ENGINE, "--listen", "127.0.0.1:0", "--data-dir", data_dir, "--sandbox", SANDBOX, *auth, *extra_args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()  # the first line, once it accepts requests
        if not line.startswith("listening on http://127.0.0.1:"):
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.stop()
            raise RuntimeError("engine did not start: %r %s" % (line, err))
        self.url = line.split("listening on ", 1)[1].strip()
        urls_line = self.proc.stdout.readline()
        if not urls_line.startswith("function URLs on http://"):
            self.stop()
            raise RuntimeError("engine printed no function URL address: %r" % urls_line)
        self.urls_url = urls_line.split(" on ", 1)[1].strip()
        self.auth_line = self.proc.stdout.readline()
        self.configure_lines = []
        if verify:
            while True:
                line = self.proc.stdout.readline()
                if not line.startswith("  aws configure set "):
                    break
                self.configure_lines.append(line.strip())
                if len(self.configure_lines) == 2:
                    break
            use_generated_profile(self.configure_lines, data_dir)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        # Clients of the next engine use its keys, not this one's profile.
        os.environ.clear()
        os.environ.update(self.saved_env[0])
        CLIENT_ENV.clear()
        CLIENT_ENV.update(self.saved_env[1])
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()


def use_generated_profile(configure_lines, data_dir):
    """Runs the engine's two `aws configure set ... --profile lambdesk` lines against private
    config files and makes every client of this process use that profile instead of the fixed keys."""
    if len(configure_lines) != 2:
        raise RuntimeError("engine printed no aws configure lines: %r" % configure_lines)
    config_dir = os.path.join(data_dir, "aws-config")
    os.makedirs(config_dir, exist_ok=True)
    files = {"AWS_CONFIG_FILE": os.path.join(config_dir, "config"),
             "AWS_SHARED_CREDENTIALS_FILE": os.path.join(config_dir, "credentials")}
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    env.update(files)
    aws = "/usr/bin/aws" if os.path.exists("/usr/bin/aws") else shutil.which("aws")
    for line in configure_lines:
        args = line.split()
        subprocess.run([aws, *args[1:]], env=env, check=True, capture_output=True, timeout=60)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.pop(key, None)
        CLIENT_ENV.pop(key, None)
    os.environ.update(files, AWS_PROFILE="lambdesk")
    CLIENT_ENV.update(files, AWS_PROFILE="lambdesk")


def zip_bytes(files, modes=None):
    """files: {path: text}; modes: {path: unix mode}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in files.items():
            info = zipfile.ZipInfo(path, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = (modes or {}).get(path, 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
    return buffer.getvalue()


def python_runtime():
    for minor in range(13, 7, -1):
        if os.path.exists("/usr/bin/python3.%d" % minor):
            return "python3.%d" % minor
    raise unittest.SkipTest("no /usr/bin/python3.x on this machine")


def node_runtime():
    node = shutil.which("node")
    if not node:
        raise unittest.SkipTest("node not installed")
    major = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip().lstrip("v").split(".")[0]
    return "nodejs%s.x" % major


class EngineTestCase(unittest.TestCase):
    """Starts one engine per test class on its own data dir."""

    engine_args = ()

    @classmethod
    def setUpClass(cls):
        cls.data_dir = tempfile.mkdtemp(prefix="lambdesk-e2e-")
        cls.engine = EngineProcess(cls.data_dir, *cls.engine_args)
        if SANDBOX != "process":
            try:
                reason = cls.backend_unavailable_reason()
            except BaseException:
                cls.tearDownClass()  # unittest skips tearDownClass when setUpClass fails
                raise
            if reason:
                cls.tearDownClass()
                raise unittest.SkipTest("sandbox %s not available here: %s" % (SANDBOX, reason))

    @classmethod
    def backend_unavailable_reason(cls):
        """Invokes a trivial function once; the engine names why a backend cannot run."""
        client = cls.boto3_client(cls)
        client.create_function(FunctionName="backend-probe", Runtime=python_runtime(),
                               Role="arn:aws:iam::000000000000:role/x", Handler="app.handler",
                               Code={"ZipFile": zip_bytes({"app.py": "def handler(e, c):\n    return 1\n"})})
        response = client.invoke(FunctionName="backend-probe")
        body = json.loads(response["Payload"].read())
        client.delete_function(FunctionName="backend-probe")
        if isinstance(body, dict) and body.get("errorType") == "Runtime.Unavailable":
            return body.get("errorMessage")
        return None

    @classmethod
    def tearDownClass(cls):
        cls.engine.stop()
        shutil.rmtree(cls.data_dir, ignore_errors=True)

    def download(self, url):
        """GET a URL of the engine's (a package's Code.Location), signed as the SDK signs its
        calls with self.client's credentials (Lambdesk has no presigned S3)."""
        import botocore.auth
        import botocore.awsrequest
        import urllib.request
        request = botocore.awsrequest.AWSRequest(method="GET", url=url)
        credentials = self.client._request_signer._credentials
        botocore.auth.SigV4Auth(credentials, "lambda", "us-east-1").add_auth(request)
        prepared = urllib.request.Request(url, headers=dict(request.headers.items()))
        with urllib.request.urlopen(prepared, timeout=30) as response:
            return response.read()

    def boto3_client(self, url=None, service="lambda"):
        try:
            import boto3
            import botocore.config
        except ImportError as e:  # pragma: no cover - printed reason, never a silent pass
            raise unittest.SkipTest("boto3 not installed: %s" % e)
        config = botocore.config.Config(retries={"max_attempts": 0}, read_timeout=120, connect_timeout=5)
        # A new session each time: the default one keeps the credentials of the first engine it saw.
        return boto3.session.Session().client(service, endpoint_url=url or self.engine.url, region_name=REGION,
                                              config=config)

    def assert_error(self, code, message_part, call, *args, **kwargs):
        """call (a method of self.client) fails with AWS error `code`, its message containing message_part."""
        with self.assertRaises(self.client.exceptions.ClientError) as raised:
            call(*args, **kwargs)
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], code, error)
        self.assertIn(message_part, error["Message"])

    def aws(self, *args, check=True, service="lambda"):
        # Debian's awscli (v2), not a pip-installed v1 that may come first on PATH.
        aws = "/usr/bin/aws" if os.path.exists("/usr/bin/aws") else shutil.which("aws")
        if not aws:
            raise unittest.SkipTest("awscli not installed")
        result = subprocess.run([aws, "--endpoint-url", self.engine.url, "--output", "json", service, *args],
                                capture_output=True, text=True, env={**os.environ, **CLIENT_ENV}, timeout=120)
        if check and result.returncode != 0:
            self.fail("aws %s %s failed (%d): %s" % (service, " ".join(args), result.returncode, result.stderr))
        return result

    def aws_json(self, *args, service="lambda"):
        out = self.aws(*args, service=service).stdout
        return json.loads(out) if out.strip() else {}
