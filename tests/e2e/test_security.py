"""What a web page, a function or a stranger can do to the engine: nothing. Each test is an attack
as it would be made (a browser's simple request, DNS rebinding, a function dialling the host's
loopback, a forged or stale signature) and checks that it is refused in AWS's words.
Signatures are made by botocore's own SigV4Auth, the independent reference."""

import datetime
import http.client
import json
import os
import socket
import threading
import unittest
import urllib.parse
from unittest import mock

from lambdesk_e2e import SANDBOX, EngineTestCase, python_runtime, zip_bytes

ROLE = "arn:aws:iam::000000000000:role/x"
CREATE_BODY = json.dumps({"FunctionName": "pwned", "Runtime": "python3.11", "Role": ROLE, "Handler": "app.handler",
                          "Code": {"ZipFile": ""}})
ANY_KEY = ("AWS4-HMAC-SHA256 Credential=AKIDLAMBDESKTEST/20260101/us-east-1/lambda/aws4_request, "
           "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64)

# A function that reports whether it can open a TCP connection to each host:port in its event.
DIALLER = """
import socket
def handler(event, context):
    results = {}
    for target in event["targets"]:
        host, port = target.rsplit(":", 1)
        s = socket.socket()
        s.settimeout(2)
        try:
            s.connect((host, int(port)))
            results[target] = "connected"
        except OSError as e:
            results[target] = type(e).__name__ + ": " + str(e)
        finally:
            s.close()
    return results
"""

# Asks for a route to a documentation address (TEST-NET-1): a UDP connect sends nothing.
ROUTE_PROBE = """
import socket
def handler(event, context):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("192.0.2.1", 9))
        return "routed"
    except OSError as e:
        return type(e).__name__ + ": " + str(e)
"""

# Calls its own Runtime API the way a web page would (with an Origin): the runtime's routes and
# the folder buckets' object API (AWS_ENDPOINT_URL_S3) served beside them.
RUNTIME_API_PROBE = """
import http.client, os
def handler(event, context):
    host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
    answers = []
    for target in ("/2018-06-01/runtime/invocation/next", "/s3/", "/s3/some-bucket/key"):
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.request("GET", target, headers={"Origin": "http://evil.example"})
        response = conn.getresponse()
        answers.append({"status": response.status, "body": response.read().decode()})
    return answers
"""


class RawHttp:
    """Requests exactly as given, so that tests control every header a browser would send."""

    def __init__(self, url):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port

    def send(self, method, target, body=b"", headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            headers = dict(headers or {})
            headers.setdefault("Host", "%s:%d" % (self.host, self.port))
            if body:
                headers.setdefault("Content-Length", str(len(body)))
            for key, value in headers.items():
                conn.putheader(key, value)
            conn.endheaders(body if body else None)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()


class BrowserAttacks(EngineTestCase):
    """A web page the user visits, in any mode: no request of its own reaches a route."""

    def setUp(self):
        self.http = RawHttp(self.engine.url)
        self.client = self.boto3_client()

    def function_names(self):
        return [f["FunctionName"] for f in self.client.list_functions()["Functions"]]

    def test_cross_origin_simple_request_cannot_create_a_function(self):
        # What fetch(..., {method: "POST", mode: "no-cors", body}) sends: text/plain, no preflight.
        status, headers, body = self.http.send("POST", "/2015-03-31/functions", CREATE_BODY.encode(),
                                               {"Content-Type": "text/plain;charset=UTF-8",
                                                "Origin": "http://evil.example", "Authorization": ANY_KEY})
        self.assertEqual(status, 403, body)
        self.assertEqual(headers.get("x-amzn-ErrorType"), "AccessDeniedException")
        self.assertIn("Origin 'http://evil.example' is not allowed", json.loads(body)["message"])
        self.assertNotIn("pwned", self.function_names())

    def test_cross_origin_request_without_signature_is_refused_too(self):
        status, _, _ = self.http.send("POST", "/2015-03-31/functions/x/invocations", b"{}",
                                      {"Content-Type": "text/plain", "Origin": "null"})
        self.assertEqual(status, 403)

    def test_dns_rebinding_host_is_refused(self):
        # After rebinding, the browser talks to 127.0.0.1 but names the attacker's host.
        status, headers, body = self.http.send("GET", "/2015-03-31/functions/",
                                               headers={"Host": "attacker.example:%d" % self.http.port,
                                                        "Authorization": ANY_KEY})
        self.assertEqual(status, 403, body)
        self.assertEqual(headers.get("x-amzn-ErrorType"), "AccessDeniedException")
        self.assertIn("Host header", json.loads(body)["message"])
        status, _, _ = self.http.send("GET", "/2015-03-31/functions/",
                                      headers={"Host": "127.0.0.1:1", "Authorization": ANY_KEY})
        self.assertEqual(status, 403, "a loopback Host naming another port is another origin")

    def test_cors_preflight_is_never_approved(self):
        status, headers, _ = self.http.send("OPTIONS", "/2015-03-31/functions", headers={
            "Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type"})
        self.assertEqual(status, 403)
        self.assertFalse([h for h in headers if h.lower().startswith("access-control-")], headers)

    def test_request_without_signature_is_refused(self):
        status, headers, body = self.http.send("GET", "/2015-03-31/functions/")
        self.assertEqual(status, 403)
        self.assertEqual(headers.get("x-amzn-ErrorType"), "MissingAuthenticationTokenException")
        self.assertEqual(json.loads(body)["message"], "Missing Authentication Token")
        status, headers, _ = self.http.send("GET", "/2015-03-31/functions/", headers={"Authorization": "Bearer x"})
        self.assertEqual(status, 403)
        self.assertEqual(headers.get("x-amzn-ErrorType"), "IncompleteSignatureException")

    def test_localhost_and_signed_sdk_requests_still_work(self):
        status, _, body = self.http.send("GET", "/2015-03-31/functions/", headers={
            "Host": "localhost:%d" % self.http.port, "Authorization": ANY_KEY})
        if self.engine.configure_lines:  # verify mode: the shape alone is not enough
            self.assertEqual(status, 403, body)
        else:
            self.assertEqual(status, 200, body)
        self.assertIsInstance(self.function_names(), list)

    def test_runtime_api_refuses_a_web_page(self):
        self.client.create_function(FunctionName="rapi-probe", Runtime=python_runtime(), Role=ROLE,
                                    Handler="app.handler", Code={"ZipFile": zip_bytes({"app.py": RUNTIME_API_PROBE})})
        response = self.client.invoke(FunctionName="rapi-probe")
        result = json.loads(response["Payload"].read())
        self.assertNotIn("FunctionError", response, result)
        for answer in result:
            self.assertEqual(answer["status"], 403, result)
            self.assertIn("Origin", answer["body"])


class AllowedOrigin(EngineTestCase):
    engine_args = ("--allow-origin", "http://localhost:3000")

    def test_only_the_allowed_origin_passes(self):
        http = RawHttp(self.engine.url)
        status, headers, body = http.send("GET", "/2015-03-31/functions/", headers={
            "Origin": "http://localhost:3000", "Authorization": ANY_KEY})
        if not self.engine.configure_lines:
            self.assertEqual(status, 200, body)
        self.assertNotIn("Access-Control-Allow-Origin", headers)
        status, _, _ = http.send("GET", "/2015-03-31/functions/", headers={
            "Origin": "http://localhost:3001", "Authorization": ANY_KEY})
        self.assertEqual(status, 403)


class FunctionAttacks(EngineTestCase):
    """A function's code is untrusted: it reaches nothing on the host's loopback."""

    def setUp(self):
        self.client = self.boto3_client()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.accepted = []
        self.stop = False
        self.thread = threading.Thread(target=self.accept_loop, daemon=True)
        self.thread.start()

    def tearDown(self):
        self.stop = True
        self.listener.close()

    def accept_loop(self):
        while not self.stop:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(conn)
            conn.close()

    def test_host_loopback_is_unreachable(self):
        self.client.create_function(FunctionName="dialler", Runtime=python_runtime(), Role=ROLE,
                                    Handler="app.handler", Timeout=30,
                                    Code={"ZipFile": zip_bytes({"app.py": DIALLER})})
        engine_port = urllib.parse.urlsplit(self.engine.url).port
        test_port = self.listener.getsockname()[1]
        # 10.0.2.2 is the user-mode network's gateway, which slirp maps to the host's loopback
        # unless told not to.
        targets = ["127.0.0.1:%d" % engine_port, "127.0.0.1:%d" % test_port, "localhost:%d" % test_port,
                   "127.0.0.2:%d" % test_port, "10.0.2.2:%d" % engine_port, "10.0.2.2:%d" % test_port]
        response = self.client.invoke(FunctionName="dialler", Payload=json.dumps({"targets": targets}).encode())
        result = json.loads(response["Payload"].read())
        self.assertNotIn("FunctionError", response, result)
        for target in targets:
            self.assertNotEqual(result[target], "connected", "%s reached %s on %s" % (SANDBOX, target, result))
        self.assertEqual(self.accepted, [], "the test listener on the host's loopback was reached")

    def test_default_network_has_a_route_out(self):
        if SANDBOX == "gvisor" and os.geteuid() != 0:
            self.skipTest("rootless gVisor cannot enter a network namespace: its functions have no outbound network")
        self.client.create_function(FunctionName="online", Runtime=python_runtime(), Role=ROLE,
                                    Handler="app.handler", Timeout=30, Code={"ZipFile": zip_bytes({"app.py": ROUTE_PROBE})})
        response = self.client.invoke(FunctionName="online")
        result = json.loads(response["Payload"].read())
        self.assertNotIn("FunctionError", response, result)
        self.assertEqual(result, "routed", "the default network has no route out on " + SANDBOX)

    def test_no_network_tag_has_no_route(self):
        self.client.create_function(FunctionName="offline", Runtime=python_runtime(), Role=ROLE,
                                    Handler="app.handler", Timeout=30, Tags={"lambdesk:network": "none"},
                                    Code={"ZipFile": zip_bytes({"app.py": ROUTE_PROBE})})
        response = self.client.invoke(FunctionName="offline")
        result = json.loads(response["Payload"].read())
        self.assertNotIn("FunctionError", response, result)
        self.assertNotEqual(result, "routed", "a function tagged lambdesk:network=none has a route out")

    def test_tagging_a_warm_function_none_takes_its_network_away(self):
        self.client.create_function(FunctionName="retagged", Runtime=python_runtime(), Role=ROLE,
                                    Handler="app.handler", Timeout=30, Code={"ZipFile": zip_bytes({"app.py": ROUTE_PROBE})})
        self.assertEqual(json.loads(self.client.invoke(FunctionName="retagged")["Payload"].read()), "routed")
        arn = self.client.get_function(FunctionName="retagged")["Configuration"]["FunctionArn"]
        self.client.tag_resource(Resource=arn, Tags={"lambdesk:network": "none"})
        response = self.client.invoke(FunctionName="retagged")
        result = json.loads(response["Payload"].read())
        self.assertNotIn("FunctionError", response, result)
        self.assertNotEqual(result, "routed", "the warm environment kept its network after the tag")


class LocalUserAttacks(EngineTestCase):
    """Another user of the machine sees the host's loopback: only the REST API and the function URL
    listener listen there, and no environment's Runtime API (whose events and answers it could take
    over)."""

    def test_no_runtime_api_listens_on_the_hosts_loopback(self):
        client = self.boto3_client()
        client.create_function(FunctionName="warm", Runtime=python_runtime(), Role=ROLE, Handler="app.handler",
                               Code={"ZipFile": zip_bytes({"app.py": "def handler(e, c):\n    return 1\n"})})
        self.assertEqual(json.loads(client.invoke(FunctionName="warm")["Payload"].read()), 1)  # one warm environment
        api_port = urllib.parse.urlsplit(self.engine.url).port
        urls_port = urllib.parse.urlsplit(self.engine.urls_url).port
        self.assertEqual(_listening_tcp_ports(self.engine.proc.pid), {api_port, urls_port})


def _listening_tcp_ports(pid):
    """TCP ports a process listens on in the host's network namespace."""
    inodes = set()
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # LISTEN
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


class SignatureVerification(EngineTestCase):
    """--auth verify: only requests signed with the data dir's key pair get through."""

    engine_args = ("--auth", "verify")

    def setUp(self):
        try:
            from botocore.auth import SigV4Auth  # noqa: F401
        except ImportError as e:  # pragma: no cover
            raise unittest.SkipTest("botocore not installed: %s" % e)
        with open(os.path.join(self.data_dir, "api-credentials")) as f:
            self.keys = json.load(f)
        self.http = RawHttp(self.engine.url)

    def signed(self, method, path, query=None, body=b"", key=None, secret=None, when=None):
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        target = urllib.parse.quote(path, safe="/~")
        if query:
            target += "?" + "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                                     for k, v in query)
        request = AWSRequest(method=method, url=self.engine.url + target, data=body,
                             headers={"Content-Type": "application/json"} if body else {})
        credentials = Credentials(key or self.keys["AccessKeyId"], secret or self.keys["SecretAccessKey"])
        if when is None:
            SigV4Auth(credentials, "lambda", "us-east-1").add_auth(request)
        else:
            import botocore.auth
            # Newer botocore reads the clock through get_current_datetime, older through datetime.
            if hasattr(botocore.auth, "get_current_datetime"):
                patch = mock.patch("botocore.auth.get_current_datetime", return_value=when)
            else:
                patch = mock.patch("botocore.auth.datetime", **{"datetime.utcnow.return_value": when})
            with patch:
                SigV4Auth(credentials, "lambda", "us-east-1").add_auth(request)
        return target, dict(request.headers.items())

    def send(self, method, target, headers, body=b""):
        headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in headers.items()}
        return self.http.send(method, target, body, headers)

    def assertRefused(self, result, error_type):
        status, headers, body = result
        self.assertEqual(status, 403, body)
        self.assertEqual(headers.get("x-amzn-ErrorType"), error_type, body)

    def test_a_good_signature_passes(self):
        target, headers = self.signed("GET", "/2015-03-31/functions/")
        status, _, body = self.send("GET", target, headers)
        self.assertEqual(status, 200, body)

    def test_unicode_and_reserved_characters_in_path_query_and_body(self):
        description = "ünïcødé ✓ & = + / ? # % 'quotes' \"dq\""
        body = json.dumps({"FunctionName": "sig-fn", "Runtime": python_runtime(), "Role": ROLE,
                           "Handler": "app.handler", "Description": description,
                           "Code": {"ZipFile": __import__("base64").b64encode(
                               zip_bytes({"app.py": "def handler(e, c):\n    return 1\n"})).decode()}},
                          ensure_ascii=False).encode()
        target, headers = self.signed("POST", "/2015-03-31/functions", body=body)
        status, _, text = self.send("POST", target, headers, body)
        self.assertEqual(status, 201, text)
        self.assertEqual(json.loads(text)["Description"], description)
        # An ARN in the path: its colons travel percent-encoded and are signed encoded twice.
        arn = "arn:aws:lambda:us-east-1:000000000000:function:sig-fn"
        target, headers = self.signed("GET", "/2015-03-31/functions/%s" % arn)
        status, _, text = self.send("GET", target, headers)
        self.assertEqual(status, 200, text)
        query = [("MaxItems", "5"), ("Marker", "ü b/c:d+e=f&g?h~i*j!'()")]
        target, headers = self.signed("GET", "/2015-03-31/functions/", query=query)
        status, _, text = self.send("GET", target, headers)
        self.assertNotEqual(status, 403, text)

    def test_a_tampered_body_is_refused(self):
        body = json.dumps({"FunctionName": "honest", "Runtime": python_runtime(), "Role": ROLE,
                           "Handler": "app.handler", "Code": {"ZipFile": ""}}).encode()
        target, headers = self.signed("POST", "/2015-03-31/functions", body=body)
        forged = body.replace(b"honest", b"forged")
        self.assertRefused(self.send("POST", target, headers, forged), "InvalidSignatureException")

    def test_a_tampered_query_or_path_is_refused(self):
        target, headers = self.signed("GET", "/2015-03-31/functions/", query=[("MaxItems", "5")])
        self.assertRefused(self.send("GET", target.replace("MaxItems=5", "MaxItems=50"), headers),
                           "InvalidSignatureException")
        self.assertRefused(self.send("GET", target.replace("/functions/", "/functions/x/"), headers),
                           "InvalidSignatureException")

    def test_an_expired_or_future_signature_is_refused(self):
        now = datetime.datetime.utcnow()
        target, headers = self.signed("GET", "/2015-03-31/functions/", when=now - datetime.timedelta(minutes=20))
        status, resp_headers, body = self.send("GET", target, headers)
        self.assertRefused((status, resp_headers, body), "InvalidSignatureException")
        self.assertIn("Signature expired", json.loads(body)["message"])
        target, headers = self.signed("GET", "/2015-03-31/functions/", when=now + datetime.timedelta(minutes=20))
        status, resp_headers, body = self.send("GET", target, headers)
        self.assertRefused((status, resp_headers, body), "InvalidSignatureException")
        self.assertIn("not yet current", json.loads(body)["message"])
        target, headers = self.signed("GET", "/2015-03-31/functions/", when=now - datetime.timedelta(minutes=5))
        self.assertEqual(self.send("GET", target, headers)[0], 200, "five minutes of skew is within AWS's 15")

    def test_a_wrong_key_or_secret_is_refused(self):
        target, headers = self.signed("GET", "/2015-03-31/functions/", key="AKIDSOMEONEELSE00000")
        self.assertRefused(self.send("GET", target, headers), "UnrecognizedClientException")
        target, headers = self.signed("GET", "/2015-03-31/functions/", secret="not-the-secret")
        self.assertRefused(self.send("GET", target, headers), "InvalidSignatureException")

    def test_the_any_key_shape_alone_is_refused(self):
        self.assertRefused(self.http.send("GET", "/2015-03-31/functions/", headers={"Authorization": ANY_KEY}),
                           "UnrecognizedClientException")

    def test_the_key_file_is_owner_only(self):
        mode = os.stat(os.path.join(self.data_dir, "api-credentials")).st_mode & 0o777
        self.assertEqual(mode, 0o600)


if __name__ == "__main__":
    unittest.main()
