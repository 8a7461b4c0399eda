# A minimal Lambda runtime loop for the microVM backend tests, so they do not depend on the
# engine's real bootstraps: poll /next, call the handler, post the result.
import http.client
import importlib
import json
import os
import sys

host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", "/var/task"))
module_name, function_name = os.environ["_HANDLER"].rsplit(".", 1)
handler = getattr(importlib.import_module(module_name), function_name)
connection = http.client.HTTPConnection(host, int(port))
prefix = "/2018-06-01/runtime/invocation/"

while True:
    connection.request("GET", prefix + "next")
    reply = connection.getresponse()
    request_id = reply.getheader("Lambda-Runtime-Aws-Request-Id")
    event = json.loads(reply.read())
    try:
        path, body = prefix + request_id + "/response", json.dumps(handler(event, None))
    except Exception as error:  # reported to the engine like a real runtime does
        path = prefix + request_id + "/error"
        body = json.dumps({"errorMessage": str(error), "errorType": type(error).__name__})
    connection.request("POST", path, body=body.encode())
    connection.getresponse().read()
