"""Ruby functions (ruby3.2, ruby3.3 and ruby3.4, served by the Ruby installed: Debian 12's 3.1)
through boto3, as AWS's Ruby runtime runs them: file.method handlers called with event: and
context:, JSON in and out, errors as Function<Class> with the function's frames, init errors as
Init<Class>, puts and Logger lines in the log, timeouts and the memory limit, cold then warm."""

import base64
import json
import unittest

from lambdesk_e2e import EngineTestCase, zip_bytes

ROLE = "arn:aws:iam::000000000000:role/x"

HANDLER = r'''
require 'json'
require 'logger'

LOGGER = Logger.new($stdout)
STARTED = Time.now

def lambda_handler(event:, context:)
  puts "event #{JSON.generate(event)}"
  LOGGER.info('from Logger')
  raise ArgumentError, 'bad input' if event['fail']
  sleep(event['sleep']) if event['sleep']
  if event['hog']
    hog = []
    loop { hog << ('x' * (8 << 20)) }
  end
  { 'echo' => event, 'request' => context.aws_request_id, 'function' => context.function_name,
    'version' => context.function_version, 'memory' => context.memory_limit_in_mb,
    'arn' => context.invoked_function_arn, 'group' => context.log_group_name,
    'left' => context.get_remaining_time_in_millis, 'ruby' => RUBY_VERSION,
    'started' => STARTED.to_f, 'env' => ENV['AWS_EXECUTION_ENV'] }
end

module Orders
  class Handler
    def self.process(event:, context:)
      "order #{event['id']} for #{context.function_name}"
    end
  end
end
'''


def ruby_unavailable_reason(client):
    """The engine's reason when this machine has no Ruby (the runtime is refused at create)."""
    try:
        client.create_function(FunctionName="ruby-probe", Runtime="ruby3.2", Role=ROLE,
                               Handler="lambda_function.lambda_handler",
                               Code={"ZipFile": zip_bytes({"lambda_function.rb": HANDLER})})
    except client.exceptions.InvalidParameterValueException as error:
        return str(error)
    client.delete_function(FunctionName="ruby-probe")
    return None


class RubyFunctions(EngineTestCase):
    def setUp(self):
        self.client = self.boto3_client()
        reason = ruby_unavailable_reason(self.client)
        if reason:
            self.skipTest("Ruby cannot run here: " + reason)

    def create(self, name, files=None, handler="lambda_function.lambda_handler", runtime="ruby3.2", **kwargs):
        self.client.create_function(FunctionName=name, Runtime=runtime, Role=ROLE, Handler=handler,
                                    Code={"ZipFile": zip_bytes(files or {"lambda_function.rb": HANDLER})},
                                    **kwargs)

    def invoke(self, name, payload):
        response = self.client.invoke(FunctionName=name, Payload=json.dumps(payload), LogType="Tail")
        body = json.loads(response["Payload"].read())
        return response, body, base64.b64decode(response["LogResult"]).decode()

    def test_event_in_and_out_with_its_context_cold_then_warm(self):
        self.create("rb-echo", Timeout=10, MemorySize=256)
        response, body, log = self.invoke("rb-echo", {"key1": "value1", "n": [1, 2.5, None]})
        self.assertNotIn("FunctionError", response, body)
        self.assertEqual(body["echo"], {"key1": "value1", "n": [1, 2.5, None]})
        self.assertEqual(body["request"], response["ResponseMetadata"]["RequestId"])
        self.assertEqual((body["function"], body["version"], body["memory"]), ("rb-echo", "$LATEST", "256"))
        self.assertEqual(body["arn"], "arn:aws:lambda:us-east-1:000000000000:function:rb-echo")
        self.assertEqual(body["group"], "/aws/lambda/rb-echo")
        self.assertTrue(0 < body["left"] <= 10000, body["left"])
        self.assertEqual(body["env"], "AWS_Lambda_ruby3.2")
        self.assertIn('event {"key1":"value1","n":[1,2.5,null]}', log)
        self.assertIn("INFO -- : from Logger", log)
        self.assertIn("Init Duration", log)
        warm_response, warm, warm_log = self.invoke("rb-echo", {"again": True})
        self.assertEqual(warm["started"], body["started"], "the same environment, warm")
        self.assertNotIn("Init Duration", warm_log)

    def test_every_ruby_id_runs_on_the_installed_ruby(self):
        for runtime in ("ruby3.3", "ruby3.4"):
            self.create("rb-" + runtime.replace(".", ""), runtime=runtime)
            _, body, _ = self.invoke("rb-" + runtime.replace(".", ""), {})
            self.assertEqual(body["env"], "AWS_Lambda_" + runtime)
            self.assertTrue(body["ruby"].startswith("3."), body["ruby"])

    def test_a_class_method_handler(self):
        self.create("rb-class", handler="lambda_function.Orders::Handler.process")
        _, body, _ = self.invoke("rb-class", {"id": 7})
        self.assertEqual(body, "order 7 for rb-class")

    def test_errors_as_awss_ruby_runtime_reports_them(self):
        self.create("rb-error")
        response, body, log = self.invoke("rb-error", {"fail": True})
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertEqual(body["errorType"], "Function<ArgumentError>")
        self.assertEqual(body["errorMessage"], "bad input")
        self.assertIsInstance(body["stackTrace"], list)
        self.assertTrue(body["stackTrace"][0].startswith("/var/task/lambda_function.rb:"), body)
        self.assertFalse([f for f in body["stackTrace"] if "/var/runtime/" in f], body)
        self.assertIn("Function<ArgumentError>", log)

        # As AWS: the file loads at init, the method is looked up at the invoke.
        self.create("rb-missing", handler="lambda_function.nowhere")
        response, body, _ = self.invoke("rb-missing", {})
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertEqual(body["errorType"], "Function<NoMethodError>")
        self.assertIn("nowhere", body["errorMessage"])
        # Past what Ruby can recover from, the environment ends: the next invoke starts cold.
        self.create("rb-deep", {"lambda_function.rb": "def down(n) = down(n + 1)\n"
                                "def lambda_handler(event:, context:)\n  down(0)\nend\n"})
        response, body, _ = self.invoke("rb-deep", {})
        self.assertEqual(body["errorType"], "Function<SystemStackError>")
        _, _, log = self.invoke("rb-deep", {})
        self.assertIn("Init Duration", log)
        self.create("rb-exit", {"lambda_function.rb": "def lambda_handler(event:, context:)\n  exit\nend\n"})
        _, body, _ = self.invoke("rb-exit", {})
        self.assertEqual(body["errorType"], "Function<SystemExit>")
        self.create("rb-syntax", {"lambda_function.rb": "def lambda_handler(event:, context:\n"})
        response, body, _ = self.invoke("rb-syntax", {})
        self.assertEqual(body["errorType"], "Init<SyntaxError>")

    def test_utf8_gems_and_what_the_handler_returns(self):
        code = ("require 'rexml/document'\n"
                "class Money\n  def to_json(*) = '\"12.50 EUR\"'\nend\n"
                "def lambda_handler(event:, context:)\n"
                "  File.write('/tmp/t.txt', 'caf\u00e9')\n"
                "  text = File.read('/tmp/t.txt') + event['suffix']\n"
                "  { 'text' => text, 'encoding' => text.encoding.to_s, 'money' => Money.new,\n"
                "    'xml' => REXML::Document.new('<a>1</a>').root.text }\n"
                "end\n")
        self.create("rb-utf8", {"lambda_function.rb": code})
        response, body, _ = self.invoke("rb-utf8", {"suffix": " \u2713"})
        self.assertNotIn("FunctionError", response, body)
        self.assertEqual(body, {"text": "caf\u00e9 \u2713", "encoding": "UTF-8", "money": "12.50 EUR",
                                "xml": "1"})

    def test_timeout_and_memory_limit(self):
        self.create("rb-slow", Timeout=1)
        response, body, _ = self.invoke("rb-slow", {"sleep": 5})
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertIn("Task timed out after 1.00 seconds", json.dumps(body))
        self.create("rb-hog", Timeout=30, MemorySize=128)
        response, body, _ = self.invoke("rb-hog", {"hog": True})
        self.assertEqual(response["FunctionError"], "Unhandled")
        self.assertEqual(body["errorType"], "Runtime.OutOfMemory")


if __name__ == "__main__":
    unittest.main()
