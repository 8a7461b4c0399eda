"""Function URLs: the *FunctionUrlConfig(s) operations through boto3 and awscli, and real HTTP requests
to the URL listener (payload format 2.0 events, response inference, cookies, binary bodies, CORS,
AuthType NONE and AWS_IAM), with the attacks a URL listener must turn away."""

import base64
import http.client
import json
import unittest
import urllib.parse

import time

from lambdesk_e2e import EngineTestCase, api_only, node_runtime, python_runtime, zip_bytes

ROLE = "arn:aws:iam::000000000000:role/x"
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
HANDLER = r'''
import base64

def handler(event, context):
    path = event["rawPath"]
    if path == "/binary":
        return {"statusCode": 201, "headers": {"Content-Type": "image/png", "X-Custom": "yes"},
                "cookies": ["session=abc; Path=/", "theme=dark"],
                "body": base64.b64encode(b"\x89PNG\x00\xff").decode(), "isBase64Encoded": True}
    if path == "/string":
        return "hello"
    if path == "/fail":
        raise ValueError("broken")
    if path == "/missing":
        return {"statusCode": 404}
    if path == "/too-large":
        return {"statusCode": 413, "headers": {"Content-Type": "text/plain"}, "body": "mine"}
    if path == "/inject":
        return {"statusCode": 200, "headers": {"X-A": "1\r\nSet-Cookie: evil=1"}, "body": "x"}
    if path == "/cors-by-hand":
        return {"statusCode": 200, "headers": {"Access-Control-Allow-Origin": "https://evil.example"},
                "body": "ok"}
    return event
'''
CODE = zip_bytes({"app.py": HANDLER})


class UrlTestCase(EngineTestCase):
    def setUp(self):
        self.client = self.boto3_client()

    def make_function(self, name, public=True):
        self.client.create_function(FunctionName=name, Runtime=python_runtime(), Role=ROLE, Handler="app.handler",
                                    Code={"ZipFile": CODE}, Timeout=30)
        if public:
            self.allow_public(name)

    def allow_public(self, name, qualifier=None):
        """The two grants AuthType NONE needs. (The console conditions the second on
        InvokedViaFunctionUrl, which Debian's botocore does not know yet.)"""
        extra = {"Qualifier": qualifier} if qualifier else {}
        self.client.add_permission(FunctionName=name, StatementId="FunctionURLAllowPublicAccess",
                                   Action="lambda:InvokeFunctionUrl", Principal="*", FunctionUrlAuthType="NONE",
                                   **extra)
        self.client.add_permission(FunctionName=name, StatementId="FunctionURLAllowInvokeAction",
                                   Action="lambda:InvokeFunction", Principal="*", **extra)

    def request(self, method, target, headers=(), body=None, host=None):
        """One HTTP request to the URL listener; headers: (name, value) pairs, repeats allowed.
        Returns (status, [(name, value)], body bytes)."""
        base = urllib.parse.urlparse(self.engine.urls_url)
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or base.netloc)
        for name, value in headers:
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, response.getheaders(), data

    def client_knows(self, shape, member):
        """Debian's botocore predates some members (InvokeMode)."""
        return member in self.client.meta.service_model.shape_for(shape).members

    def url_id(self, url):
        return urllib.parse.urlparse(url["FunctionUrl"]).hostname.split(".")[0]

    def host_of(self, url):
        return urllib.parse.urlparse(url["FunctionUrl"]).netloc


class UrlConfigs(UrlTestCase):
    @api_only
    def test_create_get_update_list_delete_in_aws_shapes(self):
        self.make_function("web", public=False)
        created = self.client.create_function_url_config(FunctionName="web", AuthType="NONE")
        self.assertEqual(created["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertRegex(created["FunctionUrl"], r"^http://[a-z0-9]{32}\.lambda-url\.localhost:\d+/$")
        self.assertEqual(created["FunctionArn"], ARN + "web")
        self.assertEqual(created["AuthType"], "NONE")
        if self.client_knows("CreateFunctionUrlConfigResponse", "InvokeMode"):
            self.assertEqual(created["InvokeMode"], "BUFFERED")
        self.assertRegex(created["CreationTime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        self.assertNotIn("Cors", created)
        self.assertTrue(created["FunctionUrl"].endswith(":%s/" % self.engine.urls_url.rsplit(":", 1)[1]))

        self.assert_error("ResourceConflictException", "FunctionUrlConfig exists for this Lambda function",
                          self.client.create_function_url_config, FunctionName="web", AuthType="NONE")
        self.assert_error("ValidationException", "Member must satisfy enum value set: [NONE, AWS_IAM]",
                          self.client.create_function_url_config, FunctionName="web", AuthType="OPEN",
                          Qualifier="nope")
        self.assert_error("ValidationException", "at 'qualifier' failed to satisfy constraint",
                          self.client.get_function_url_config, FunctionName="web", Qualifier="1")
        self.assert_error("ResourceNotFoundException", "Function not found",
                          self.client.get_function_url_config, FunctionName="web", Qualifier="missing")
        self.assert_error("ResourceNotFoundException", "Function not found",
                          self.client.get_function_url_config, FunctionName="nobody")

        got = self.client.get_function_url_config(FunctionName=ARN + "web")
        self.assertEqual(got["FunctionUrl"], created["FunctionUrl"])
        self.assertEqual(got["LastModifiedTime"], got["CreationTime"])

        cors = {"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET", "POST"],
                "AllowHeaders": ["Content-Type", "X-Token"], "ExposeHeaders": ["X-Custom"],
                "AllowCredentials": True, "MaxAge": 300}
        updated = self.client.update_function_url_config(FunctionName="web", AuthType="AWS_IAM", Cors=cors)
        self.assertEqual(updated["FunctionUrl"], created["FunctionUrl"])  # the URL never changes
        self.assertEqual(updated["AuthType"], "AWS_IAM")
        self.assertEqual(updated["Cors"], cors)
        self.assertGreaterEqual(updated["LastModifiedTime"], updated["CreationTime"])
        self.assert_error("ValidationException", "cors.maxAge",
                          self.client.update_function_url_config, FunctionName="web", Cors={"MaxAge": 86401})
        self.assert_error("InvalidParameterValueException", "Invalid method 'TRACE'",
                          self.client.update_function_url_config, FunctionName="web",
                          Cors={"AllowMethods": ["TRACE"]})
        self.assertEqual(self.client.get_function_url_config(FunctionName="web")["Cors"], cors)

        version = self.client.publish_version(FunctionName="web")["Version"]
        self.client.create_alias(FunctionName="web", Name="live", FunctionVersion=version)
        stream = ({"InvokeMode": "RESPONSE_STREAM"}
                  if self.client_knows("CreateFunctionUrlConfigRequest", "InvokeMode") else {})
        live = self.client.create_function_url_config(FunctionName="web", Qualifier="live", AuthType="NONE",
                                                      **stream)
        self.assertEqual(live["FunctionArn"], ARN + "web:live")
        self.assertNotEqual(live["FunctionUrl"], created["FunctionUrl"])
        listed = self.client.list_function_url_configs(FunctionName="web")["FunctionUrlConfigs"]
        self.assertEqual(sorted(u["FunctionArn"] for u in listed), [ARN + "web", ARN + "web:live"])
        page = self.client.list_function_url_configs(FunctionName="web", MaxItems=1)
        self.assertEqual(len(page["FunctionUrlConfigs"]), 1)
        rest = self.client.list_function_url_configs(FunctionName="web", Marker=page["NextMarker"])
        self.assertEqual(len(rest["FunctionUrlConfigs"]), 1)

        # An alias takes its URL with it; so does the function.
        self.client.delete_alias(FunctionName="web", Name="live")
        self.assertEqual(len(self.client.list_function_url_configs(FunctionName="web")["FunctionUrlConfigs"]), 1)
        self.client.delete_function_url_config(FunctionName="web")
        self.assert_error("ResourceNotFoundException", "The resource you requested does not exist.",
                          self.client.get_function_url_config, FunctionName="web")
        self.assert_error("ResourceNotFoundException", "The resource you requested does not exist.",
                          self.client.delete_function_url_config, FunctionName="web")
        self.client.create_function_url_config(FunctionName="web", AuthType="NONE")
        self.client.delete_function(FunctionName="web")
        self.make_function("web", public=False)
        self.assertEqual(self.client.list_function_url_configs(FunctionName="web")["FunctionUrlConfigs"], [])

    @api_only
    def test_awscli(self):
        self.make_function("cli-web", public=False)
        created = self.aws_json("create-function-url-config", "--function-name", "cli-web", "--auth-type", "NONE",
                                "--cors", "AllowOrigins=https://a.example,AllowMethods=GET")
        self.assertEqual(created["Cors"]["AllowOrigins"], ["https://a.example"])
        got = self.aws_json("get-function-url-config", "--function-name", "cli-web")
        self.assertEqual(got["FunctionUrl"], created["FunctionUrl"])
        listed = self.aws_json("list-function-url-configs", "--function-name", "cli-web")
        self.assertEqual([u["FunctionUrl"] for u in listed["FunctionUrlConfigs"]], [created["FunctionUrl"]])
        self.aws("delete-function-url-config", "--function-name", "cli-web")
        missing = self.aws("get-function-url-config", "--function-name", "cli-web", check=False)
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("ResourceNotFoundException", missing.stderr)


class UrlRequests(UrlTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        case = cls("run")
        case.setUp()
        case.make_function("echo")
        cls.url = case.client.create_function_url_config(FunctionName="echo", AuthType="NONE")

    def test_the_event_is_payload_format_2(self):
        status, headers, body = self.request(
            "POST", "/api/items%20x?b=2&a=1&a=%2Fz&flag",
            headers=[("Content-Type", "application/json"), ("X-Multi", "one"), ("x-multi", "two"),
                     ("Cookie", "c1=v1; c2=v2"), ("User-Agent", "lambdesk-test")],
            body=b'{"n": 1}', host=self.host_of(self.url))
        self.assertEqual(status, 200, body)
        self.assertEqual(dict(headers)["Content-Type"], "application/json")
        event = json.loads(body)
        self.assertEqual(event["version"], "2.0")
        self.assertEqual(event["routeKey"], "$default")
        self.assertEqual(event["rawPath"], "/api/items%20x")
        self.assertEqual(event["rawQueryString"], "b=2&a=1&a=%2Fz&flag")
        self.assertEqual(event["queryStringParameters"], {"a": "1,/z", "b": "2", "flag": ""})
        self.assertEqual(event["cookies"], ["c1=v1", "c2=v2"])
        self.assertEqual(event["headers"]["x-multi"], "one,two")
        self.assertNotIn("cookie", event["headers"])
        self.assertEqual(event["headers"]["x-forwarded-for"], "127.0.0.1")
        self.assertEqual(event["headers"]["host"], self.host_of(self.url))
        self.assertEqual(event["body"], '{"n": 1}')
        self.assertFalse(event["isBase64Encoded"])
        context = event["requestContext"]
        self.assertEqual(context["http"], {"method": "POST", "path": "/api/items%20x", "protocol": "HTTP/1.1",
                                           "sourceIp": "127.0.0.1", "userAgent": "lambdesk-test"})
        self.assertEqual(context["apiId"], self.url_id(self.url))
        self.assertEqual(context["domainName"], self.url_id(self.url) + ".lambda-url.localhost")
        self.assertEqual((context["routeKey"], context["stage"]), ("$default", "$default"))
        self.assertIsInstance(context["timeEpoch"], int)
        self.assertRegex(context["time"], r"^\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000$")
        self.assertNotIn("authorizer", context)
        self.assertEqual(dict(headers)["x-amzn-RequestId"], context["requestId"])

    def test_binary_bodies_arrive_base64_and_the_plain_form_reaches_the_same_url(self):
        raw = bytes(range(256))
        status, _, body = self.request("PUT", "/%s/upload" % self.url_id(self.url),
                                       headers=[("Content-Type", "application/octet-stream")], body=raw)
        self.assertEqual(status, 200, body)
        event = json.loads(body)
        self.assertEqual(event["rawPath"], "/upload")
        self.assertTrue(event["isBase64Encoded"])
        self.assertEqual(base64.b64decode(event["body"]), raw)
        # A form post is text to the client but not to Lambda; a multipart one reaches it whole.
        status, _, body = self.request("POST", "/%s/" % self.url_id(self.url),
                                       headers=[("Content-Type", "multipart/form-data; boundary=XX")],
                                       body=b"--XX\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n--XX--\r\n")
        event = json.loads(body)
        self.assertEqual(event["headers"]["content-type"], "multipart/form-data; boundary=XX")
        self.assertIn(b'name="f"', base64.b64decode(event["body"]))
        status, _, body = self.request("GET", "/%s" % self.url_id(self.url))
        event = json.loads(body)
        self.assertEqual(event["rawPath"], "/")
        self.assertNotIn("body", event)
        self.assertNotIn("queryStringParameters", event)

    def test_responses_follow_the_inference_rules(self):
        host = self.host_of(self.url)
        status, headers, body = self.request("GET", "/binary", host=host)
        self.assertEqual(status, 201)
        self.assertEqual(body, b"\x89PNG\x00\xff")
        self.assertEqual(dict(headers)["Content-Type"], "image/png")
        self.assertEqual(dict(headers)["X-Custom"], "yes")
        self.assertEqual([v for k, v in headers if k.lower() == "set-cookie"], ["session=abc; Path=/", "theme=dark"])
        status, headers, body = self.request("GET", "/string", host=host)
        self.assertEqual((status, body), (200, b'"hello"'))
        status, _, body = self.request("GET", "/fail", host=host)
        self.assertEqual((status, body), (502, b"Internal Server Error"))
        # The function's own error statuses are its answer, body and all.
        status, headers, body = self.request("GET", "/missing", host=host)
        self.assertEqual((status, body), (404, b""))
        status, headers, body = self.request("GET", "/too-large", host=host)
        self.assertEqual((status, body, dict(headers)["Content-Type"]), (413, b"mine", "text/plain"))
        # A header value that would start another header is the function's failure, not the client's.
        status, headers, body = self.request("GET", "/inject", host=host)
        self.assertEqual((status, body), (502, b"Internal Server Error"))
        self.assertNotIn("evil=1", str(headers))
        # Range is the function's to honour: the URL never cuts its answer.
        status, _, body = self.request("GET", "/ranged", host=host, headers=[("Range", "bytes=0-3")])
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(body)["headers"]["range"], "bytes=0-3")
        # Only the listener parks a multipart Content-Type; a client's copy never reaches the function.
        status, _, body = self.request("POST", "/", host=host, body=b"{}", headers=[
            ("Content-Type", "application/json"), ("X-Lambdesk-Parked-Content-Type", "text/evil")])
        self.assertEqual(json.loads(body)["headers"]["content-type"], "application/json")

    def test_cors_preflight_and_response_headers_come_from_the_config(self):
        self.client.create_alias(FunctionName="echo", Name="cors", FunctionVersion="$LATEST")
        self.allow_public("echo", "cors")
        url = self.client.create_function_url_config(
            FunctionName="echo", Qualifier="cors", AuthType="NONE",
            Cors={"AllowOrigins": ["https://app.example"], "AllowMethods": ["GET", "POST"],
                  "AllowHeaders": ["X-Token"], "ExposeHeaders": ["X-Custom"], "MaxAge": 600})
        host = self.host_of(url)
        status, headers, body = self.request("OPTIONS", "/items", host=host, headers=[
            ("Origin", "https://app.example"), ("Access-Control-Request-Method", "POST")])
        got = dict(headers)
        self.assertEqual((status, body), (200, b""))  # answered without the function
        self.assertEqual(got["Access-Control-Allow-Origin"], "https://app.example")
        self.assertEqual(got["Access-Control-Allow-Methods"], "GET,POST")
        self.assertEqual(got["Access-Control-Allow-Headers"], "x-token")
        self.assertEqual(got["Access-Control-Max-Age"], "600")
        status, headers, _ = self.request("OPTIONS", "/items", host=host, headers=[
            ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")])
        self.assertNotIn("Access-Control-Allow-Origin", dict(headers))

        status, headers, _ = self.request("GET", "/cors-by-hand", host=host, headers=[("Origin", "https://app.example")])
        got = [(k, v) for k, v in headers if k.lower().startswith("access-control-")]
        self.assertEqual(sorted(got), [("Access-Control-Allow-Origin", "https://app.example"),
                                       ("Access-Control-Expose-Headers", "x-custom")])
        status, headers, _ = self.request("GET", "/cors-by-hand", host=host, headers=[("Origin", "https://evil.example")])
        self.assertNotIn("Access-Control-Allow-Origin", dict(headers))

    def test_aws_iam_urls_take_sigv4(self):
        try:
            import boto3
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
        except ImportError as e:
            raise unittest.SkipTest("botocore not installed: %s" % e)
        self.client.create_alias(FunctionName="echo", Name="private", FunctionVersion="$LATEST")
        url = self.client.create_function_url_config(FunctionName="echo", Qualifier="private", AuthType="AWS_IAM")
        status, headers, body = self.request("GET", "/", host=self.host_of(url))
        self.assertEqual(status, 403)
        self.assertEqual(dict(headers)["x-amzn-ErrorType"], "AccessDeniedException")
        self.assertIn("Missing Authentication Token", json.loads(body)["Message"])

        signed = AWSRequest(method="GET", url=url["FunctionUrl"] + "who?x=1")
        credentials = boto3.session.Session().get_credentials()
        SigV4Auth(credentials, "lambda", "us-east-1").add_auth(signed)
        status, _, body = self.request("GET", "/who?x=1", host=self.host_of(url), headers=list(signed.headers.items()))
        self.assertEqual(status, 200, body)
        iam = json.loads(body)["requestContext"]["authorizer"]["iam"]
        self.assertEqual(iam["accessKey"], credentials.access_key)
        self.assertEqual(iam["accountId"], "000000000000")


class UrlListenerAttacks(UrlTestCase):
    """What the URL listener refuses: URLs without a public policy, unknown ids, foreign Host names
    (DNS rebinding), and anything that is not a function URL, such as the control API's paths."""

    def test_a_none_url_needs_its_public_policy(self):
        self.make_function("closed", public=False)
        url = self.client.create_function_url_config(FunctionName="closed", AuthType="NONE")
        status, headers, body = self.request("GET", "/", host=self.host_of(url))
        self.assertEqual(status, 403)
        self.assertEqual(dict(headers)["x-amzn-ErrorType"], "AccessDeniedException")
        self.assertTrue(json.loads(body)["Message"].startswith("Forbidden."))
        # InvokeFunctionUrl alone is not enough since October 2025; InvokeFunction via the URL too.
        self.client.add_permission(FunctionName="closed", StatementId="url", Action="lambda:InvokeFunctionUrl",
                                   Principal="*", FunctionUrlAuthType="NONE")
        self.assertEqual(self.request("GET", "/", host=self.host_of(url))[0], 403)
        self.client.add_permission(FunctionName="closed", StatementId="invoke", Action="lambda:InvokeFunction",
                                   Principal="*")
        self.assertEqual(self.request("GET", "/", host=self.host_of(url))[0], 200)
        # A grant for AWS_IAM URLs, or to one account only, does not open a NONE URL.
        self.client.remove_permission(FunctionName="closed", StatementId="url")
        self.client.add_permission(FunctionName="closed", StatementId="iam", Action="lambda:InvokeFunctionUrl",
                                   Principal="*", FunctionUrlAuthType="AWS_IAM")
        self.client.add_permission(FunctionName="closed", StatementId="acct", Action="lambda:InvokeFunctionUrl",
                                   Principal="111122223333", FunctionUrlAuthType="NONE")
        self.assertEqual(self.request("GET", "/", host=self.host_of(url))[0], 403)

    def test_unknown_ids_foreign_hosts_and_api_paths_reach_nothing(self):
        self.make_function("open")
        url = self.client.create_function_url_config(FunctionName="open", AuthType="NONE")
        status, _, body = self.request("GET", "/", host="abcdefghijklmnopqrstuvwxyz012345.lambda-url.localhost")
        self.assertEqual((status, json.loads(body)), (403, {"Message": None}))
        # A rebound DNS name reaching this port names no URL, even with a valid id in the path.
        status, _, _ = self.request("GET", "/%s/" % self.url_id(url), host="evil.example:80")
        self.assertEqual(status, 403)
        self.assertEqual(self.request("GET", "/%s/" % self.url_id(url))[0], 200)
        for target in ("/2015-03-31/functions/", "/2015-03-31/functions/open/invocations"):
            for method in ("GET", "POST"):
                status, _, body = self.request(method, target, body=b"{}" if method == "POST" else None)
                self.assertEqual((status, json.loads(body)), (403, {"Message": None}), target)

    def test_web_pages_use_the_host_form(self):
        """The path form puts every URL on one origin (http://127.0.0.1:PORT), where one URL's page
        could read another's answers and cookies: requests a browser marks as a page's are refused."""
        self.make_function("pages")
        url = self.client.create_function_url_config(FunctionName="pages", AuthType="NONE")
        for header in (("Origin", "http://127.0.0.1"), ("Sec-Fetch-Site", "same-origin")):
            status, _, body = self.request("GET", "/%s/" % self.url_id(url), headers=[header])
            self.assertEqual(status, 403)
            self.assertIn(self.url_id(url) + ".lambda-url.localhost", json.loads(body)["Message"])
        self.assertEqual(self.request("GET", "/%s/" % self.url_id(url), headers=[("Sec-Fetch-Site", "none")])[0], 200)
        status, _, _ = self.request("GET", "/", host=self.host_of(url), headers=[("Origin", "https://a.example")])
        self.assertEqual(status, 200)

    def test_the_control_api_still_refuses_web_pages(self):
        self.make_function("guarded")
        base = urllib.parse.urlparse(self.engine.url)
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
        connection.request("GET", "/2015-03-31/functions/", headers={"Origin": "https://evil.example"})
        response = connection.getresponse()
        response.read()
        self.assertEqual(response.status, 403)

STREAMING_HANDLER = r'''
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  if (event.rawPath === '/plain') {
    responseStream.setContentType('text/plain');
    responseStream.write('hello ');
    responseStream.write({ json: true });
    responseStream.end();
    return;
  }
  if (event.rawPath === '/fail-early') throw new Error('nothing streamed');
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 201, headers: { 'Content-Type': 'text/csv', 'X-Stream': 'yes' }, cookies: ['s=1'] });
  stream.write('a,b\n');
  await new Promise((resolve) => setTimeout(resolve, 1500)); // the first row is already out
  stream.write('1,2\n');
  stream.end();
});
'''


class StreamingUrls(UrlTestCase):
    """InvokeMode RESPONSE_STREAM: a handler in awslambda.streamifyResponse streams its answer,
    with HttpResponseStream.from's status and headers; any other handler's answer is buffered."""

    def test_chunks_reach_the_caller_as_the_function_writes_them(self):
        self.client.create_function(FunctionName="streamer", Runtime=node_runtime(), Role=ROLE,
                                    Handler="index.handler", Code={"ZipFile": zip_bytes({"index.mjs": STREAMING_HANDLER})},
                                    Timeout=30)
        self.allow_public("streamer")
        url = self.create_streaming_url("streamer")
        base = urllib.parse.urlparse(self.engine.urls_url)
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
        connection.request("GET", "/rows", headers={"Host": self.host_of(url)})
        response = connection.getresponse()
        self.assertEqual(response.status, 201)
        self.assertEqual(response.getheader("Content-Type"), "text/csv")
        self.assertEqual(response.getheader("X-Stream"), "yes")
        self.assertEqual(response.getheader("Set-Cookie"), "s=1")
        self.assertEqual(response.getheader("Transfer-Encoding"), "chunked")
        first = response.read(4)
        first_at = time.monotonic()
        rest = response.read()
        # The second row came only after the function's pause: the first did not wait for it.
        self.assertGreaterEqual(time.monotonic() - first_at, 1.0)
        self.assertEqual(first + rest, b"a,b\n1,2\n")
        connection.close()

        status, headers, body = self.request("GET", "/plain", host=self.host_of(url))
        self.assertEqual((status, body), (200, b'hello {"json":true}'))
        self.assertEqual(dict(headers)["Content-Type"], "text/plain")
        # Failing before the first byte is a failure like any other.
        status, _, body = self.request("GET", "/fail-early", host=self.host_of(url))
        self.assertEqual((status, body), (502, b"Internal Server Error"))

    def test_a_handler_that_does_not_stream_is_answered_whole(self):
        self.make_function("buffered")
        url = self.create_streaming_url("buffered")
        status, _, body = self.request("GET", "/string", host=self.host_of(url))
        self.assertEqual((status, body), (200, b'"hello"'))

    def create_streaming_url(self, name):
        """CreateFunctionUrlConfig with InvokeMode, which Debian's boto3 and awscli predate: the
        request a newer SDK sends, signed with botocore's SigV4."""
        if self.client_knows("CreateFunctionUrlConfigRequest", "InvokeMode"):
            return self.client.create_function_url_config(FunctionName=name, AuthType="NONE",
                                                         InvokeMode="RESPONSE_STREAM")
        import boto3
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        body = json.dumps({"AuthType": "NONE", "InvokeMode": "RESPONSE_STREAM"})
        signed = AWSRequest(method="POST", url="%s/2021-10-31/functions/%s/url" % (self.engine.url, name),
                            data=body, headers={"Content-Type": "application/json"})
        SigV4Auth(boto3.session.Session().get_credentials(), "lambda", "us-east-1").add_auth(signed)
        base = urllib.parse.urlparse(self.engine.url)
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=60)
        connection.request("POST", base.path + "/2021-10-31/functions/%s/url" % name, body=body,
                           headers=dict(signed.headers.items()))
        response = connection.getresponse()
        created = json.loads(response.read())
        connection.close()
        self.assertEqual((response.status, created["InvokeMode"]), (201, "RESPONSE_STREAM"), created)
        return created


class IamUrlsVerified(UrlTestCase):
    """--auth verify: an AWS_IAM URL takes the data dir's key pair only."""

    engine_args = ("--auth", "verify")

    def test_only_the_engines_key_pair_gets_in(self):
        try:
            import boto3
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
        except ImportError as e:
            raise unittest.SkipTest("botocore not installed: %s" % e)
        self.make_function("private", public=False)
        url = self.client.create_function_url_config(FunctionName="private", AuthType="AWS_IAM")
        good = boto3.session.Session().get_credentials()
        for credentials, expected in ((Credentials(good.access_key, "wrong-secret"), 403), (good, 200)):
            signed = AWSRequest(method="GET", url=url["FunctionUrl"])
            SigV4Auth(credentials, "lambda", "us-east-1").add_auth(signed)
            status, _, body = self.request("GET", "/", host=self.host_of(url), headers=list(signed.headers.items()))
            self.assertEqual(status, expected, body)
            if expected == 403:
                self.assertIn("signature we calculated does not match", json.loads(body)["Message"])


if __name__ == "__main__":
    unittest.main()
