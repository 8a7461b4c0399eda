"""Asynchronous invocation: Put/Get/Update/Delete/ListFunctionEventInvokeConfig(s) and
DeadLetterConfig through boto3 and the awscli; a failing event retried with AWS's delays (scaled
down by --async-delay-scale) and its invocation records delivered to queues; and a SIGKILL
between retries: after the restart the retries go on and the record arrives exactly once."""

import json
import os
import shutil
import sqlite3
import tempfile
import unittest

from lambdesk_e2e import EngineProcess, EngineTestCase, api_only, python_runtime, wait_until, zip_bytes
from test_security import ANY_KEY, RawHttp

ROLE = "arn:aws:iam::000000000000:role/x"
QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
FAILING = "def handler(event, context):\n    raise ValueError('cannot process ' + str(event.get('id')))\n"
ECHO = "def handler(event, context):\n    return {'done': event}\n"


def make_function(client, name, code):
    client.create_function(FunctionName=name, Runtime=python_runtime(), Role=ROLE, Handler="app.handler",
                           Code={"ZipFile": zip_bytes({"app.py": code})})


def receive_all(sqs, url, expected, timeout=60):
    """Every message `url` holds once `expected` of them arrived, and whatever else arrives in
    the second after (a duplicate would)."""
    got = []

    def arrived():
        got.extend(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                       MessageAttributeNames=["All"]).get("Messages", []))
        return len(got) >= expected
    if wait_until(arrived, timeout=timeout, interval=0.1):
        got.extend(sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=1).get("Messages", []))
    return got


def attempts_of(data_dir, request_id):
    db = sqlite3.connect(os.path.join(data_dir, "lambdesk.db"))
    rows = db.execute("SELECT source, status FROM invocations WHERE request_id = ? ORDER BY id",
                      (request_id,)).fetchall()
    db.close()
    return rows


def waiting_events(data_dir):
    """(attempts made, taken by a worker) of every event in the durable queue."""
    db = sqlite3.connect(os.path.join(data_dir, "lambdesk.db"))
    rows = db.execute("SELECT attempts, taken_until != 0 FROM async_events").fetchall()
    db.close()
    return rows


def queued_events(data_dir):
    db = sqlite3.connect(os.path.join(data_dir, "lambdesk.db"))
    count = db.execute("SELECT count(*) FROM async_events").fetchone()[0]
    db.close()
    return count


@api_only
class EventInvokeConfigApi(EngineTestCase):
    def setUp(self):
        self.client = self.boto3_client()
        self.sqs = self.boto3_client(service="sqs")

    def test_config_lifecycle(self):
        make_function(self.client, "configured", ECHO)
        self.sqs.create_queue(QueueName="configured-failures")
        put = self.client.put_function_event_invoke_config(
            FunctionName="configured", MaximumRetryAttempts=1,
            DestinationConfig={"OnFailure": {"Destination": QUEUE_ARN + "configured-failures"}})
        self.assertEqual(put["FunctionArn"], FUNCTION_ARN + "configured:$LATEST")
        self.assertEqual(put["MaximumRetryAttempts"], 1)
        self.assertNotIn("MaximumEventAgeInSeconds", put)
        self.assertEqual(put["DestinationConfig"], {
            "OnSuccess": {}, "OnFailure": {"Destination": QUEUE_ARN + "configured-failures"}})
        self.assertIsNotNone(put["LastModified"].year)

        updated = self.client.update_function_event_invoke_config(FunctionName="configured",
                                                                  MaximumEventAgeInSeconds=3600)
        self.assertEqual((updated["MaximumRetryAttempts"], updated["MaximumEventAgeInSeconds"]), (1, 3600))
        got = self.client.get_function_event_invoke_config(FunctionName="configured")
        self.assertEqual(got["DestinationConfig"]["OnFailure"]["Destination"], QUEUE_ARN + "configured-failures")

        self.client.publish_version(FunctionName="configured")
        self.client.put_function_event_invoke_config(FunctionName="configured", Qualifier="1",
                                                     MaximumRetryAttempts=0)
        listed = self.client.list_function_event_invoke_configs(FunctionName="configured")
        self.assertEqual([c["FunctionArn"] for c in listed["FunctionEventInvokeConfigs"]],
                         [FUNCTION_ARN + "configured:$LATEST", FUNCTION_ARN + "configured:1"])
        page = self.client.list_function_event_invoke_configs(FunctionName="configured", MaxItems=1)
        self.assertEqual(len(page["FunctionEventInvokeConfigs"]), 1)
        self.assertIn("NextMarker", page)

        # Put replaces: what it leaves out is removed.
        replaced = self.client.put_function_event_invoke_config(FunctionName="configured",
                                                                MaximumEventAgeInSeconds=120)
        self.assertNotIn("MaximumRetryAttempts", replaced)
        self.assertEqual(replaced["DestinationConfig"], {"OnSuccess": {}, "OnFailure": {}})

        self.client.delete_function_event_invoke_config(FunctionName="configured", Qualifier="1")
        self.assert_error("ResourceNotFoundException", "doesn't have an EventInvokeConfig",
                          self.client.get_function_event_invoke_config, FunctionName="configured", Qualifier="1")

    def test_bad_input_in_lambdas_words(self):
        make_function(self.client, "picky-async", ECHO)
        self.assert_error("ValidationException", "maximumRetryAttempts",
                          self.client.put_function_event_invoke_config, FunctionName="picky-async",
                          MaximumRetryAttempts=5)
        self.assert_error("InvalidParameterValueException", "at least one",
                          self.client.put_function_event_invoke_config, FunctionName="picky-async")
        self.assert_error("InvalidParameterValueException", "no SNS topics",
                          self.client.put_function_event_invoke_config, FunctionName="picky-async",
                          DestinationConfig={"OnSuccess": {"Destination": "arn:aws:sns:us-east-1:000000000000:t"}})
        self.assert_error("InvalidParameterValueException", "no such queue",
                          self.client.put_function_event_invoke_config, FunctionName="picky-async",
                          DestinationConfig={"OnFailure": {"Destination": QUEUE_ARN + "absent"}})
        self.assert_error("ResourceNotFoundException", "doesn't have an EventInvokeConfig",
                          self.client.update_function_event_invoke_config, FunctionName="picky-async",
                          MaximumRetryAttempts=1)
        self.assert_error("ResourceNotFoundException", "nobody",
                          self.client.get_function_event_invoke_config, FunctionName="nobody")
        self.assert_error("ValidationException", "less than or equal to 50",
                          self.client.list_function_event_invoke_configs, FunctionName="picky-async",
                          MaxItems=51)

    def test_dead_letter_config(self):
        make_function(self.client, "with-dlq", ECHO)
        self.sqs.create_queue(QueueName="with-dlq-dlq")
        updated = self.client.update_function_configuration(
            FunctionName="with-dlq", DeadLetterConfig={"TargetArn": QUEUE_ARN + "with-dlq-dlq"})
        self.assertEqual(updated["DeadLetterConfig"], {"TargetArn": QUEUE_ARN + "with-dlq-dlq"})
        self.assertEqual(self.client.get_function_configuration(FunctionName="with-dlq")["DeadLetterConfig"],
                         {"TargetArn": QUEUE_ARN + "with-dlq-dlq"})
        self.assert_error("InvalidParameterValueException", "no such queue",
                          self.client.update_function_configuration, FunctionName="with-dlq",
                          DeadLetterConfig={"TargetArn": QUEUE_ARN + "absent"})
        cleared = self.client.update_function_configuration(FunctionName="with-dlq", DeadLetterConfig={})
        self.assertNotIn("DeadLetterConfig", cleared)

    def test_awscli_configs(self):
        make_function(self.client, "cli-async", ECHO)
        put = self.aws_json("put-function-event-invoke-config", "--function-name", "cli-async",
                            "--maximum-retry-attempts", "0", "--maximum-event-age-in-seconds", "600")
        self.assertEqual((put["MaximumRetryAttempts"], put["MaximumEventAgeInSeconds"]), (0, 600))
        listed = self.aws_json("list-function-event-invoke-configs", "--function-name", "cli-async")
        self.assertEqual(len(listed["FunctionEventInvokeConfigs"]), 1)
        self.aws("delete-function-event-invoke-config", "--function-name", "cli-async")
        self.assertEqual(self.aws_json("list-function-event-invoke-configs", "--function-name",
                                       "cli-async")["FunctionEventInvokeConfigs"], [])

    def test_cross_origin_put_is_refused(self):
        make_function(self.client, "target-async", ECHO)
        status, headers, _ = RawHttp(self.engine.url).send(
            "PUT", "/2019-09-25/functions/target-async/event-invoke-config", b'{"MaximumRetryAttempts": 0}',
            {"Content-Type": "text/plain", "Origin": "http://evil.example", "Authorization": ANY_KEY})
        self.assertEqual(status, 403)
        self.assertEqual(headers.get("x-amzn-ErrorType"), "AccessDeniedException")
        self.assert_error("ResourceNotFoundException", "doesn't have",
                          self.client.get_function_event_invoke_config, FunctionName="target-async")


class AsyncDelivery(EngineTestCase):
    engine_args = ("--async-delay-scale", "0.01")  # retries after 0.6 s and 1.2 s

    def test_retries_then_records_on_failure_and_on_success(self):
        client = self.boto3_client()
        sqs = self.boto3_client(service="sqs")
        make_function(client, "fails", FAILING)
        make_function(client, "works", ECHO)
        failures = sqs.create_queue(QueueName="async-failures")["QueueUrl"]
        successes = sqs.create_queue(QueueName="async-successes")["QueueUrl"]
        client.put_function_event_invoke_config(
            FunctionName="fails", DestinationConfig={"OnFailure": {"Destination": QUEUE_ARN + "async-failures"}})
        client.put_function_event_invoke_config(
            FunctionName="works", DestinationConfig={"OnSuccess": {"Destination": QUEUE_ARN + "async-successes"}})

        failed = client.invoke(FunctionName="fails", InvocationType="Event", Payload=b'{"id": 9}')
        worked = client.invoke(FunctionName="works", InvocationType="Event", Payload=b'{"id": 10}')
        self.assertEqual((failed["StatusCode"], worked["StatusCode"]), (202, 202))

        [message] = receive_all(sqs, failures, 1)
        record = json.loads(message["Body"])
        self.assertEqual(record["requestContext"]["requestId"], failed["ResponseMetadata"]["RequestId"])
        self.assertEqual(record["requestContext"]["condition"], "RetriesExhausted")
        self.assertEqual(record["requestContext"]["approximateInvokeCount"], 3)
        self.assertEqual(record["requestPayload"], {"id": 9})
        self.assertEqual(record["responseContext"]["functionError"], "Unhandled")
        self.assertEqual(record["responsePayload"]["errorType"], "ValueError")
        sources = [row[0] for row in attempts_of(self.data_dir, failed["ResponseMetadata"]["RequestId"])]
        self.assertEqual(sources, ["", "async-retry", "async-retry"])

        [message] = receive_all(sqs, successes, 1)
        record = json.loads(message["Body"])
        self.assertEqual(record["requestContext"]["condition"], "Success")
        self.assertEqual(record["responsePayload"], {"done": {"id": 10}})


class KillBetweenRetries(unittest.TestCase):
    def test_sigkill_between_retries_loses_nothing_and_delivers_once(self):
        data_dir = tempfile.mkdtemp(prefix="lambdesk-async-kill-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        scale = ("--async-delay-scale", "0.05")  # retries after 3 s and 6 s
        engine = EngineProcess(data_dir, *scale)
        try:
            client = EngineTestCase.boto3_client(self, engine.url)
            sqs = EngineTestCase.boto3_client(self, engine.url, service="sqs")
            make_function(client, "fails-twice", FAILING)
            sqs.create_queue(QueueName="kill-failures")
            client.put_function_event_invoke_config(
                FunctionName="fails-twice",
                DestinationConfig={"OnFailure": {"Destination": QUEUE_ARN + "kill-failures"}})
            request_id = client.invoke(FunctionName="fails-twice", InvocationType="Event",
                                       Payload=b'{"id": 1}')["ResponseMetadata"]["RequestId"]
            # The first attempt failed; the retry waits in the queue (not taken by a worker).
            waiting = lambda: [(attempts, taken) for attempts, taken in waiting_events(data_dir)
                               if attempts >= 1 and not taken]
            self.assertTrue(wait_until(lambda: len(waiting()) == 1, timeout=60), waiting_events(data_dir))
            engine.kill()
        finally:
            engine.stop()
        self.assertEqual(queued_events(data_dir), 1, "the event waiting for its retry was lost")

        engine = EngineProcess(data_dir, *scale)
        try:
            sqs = EngineTestCase.boto3_client(self, engine.url, service="sqs")
            url = sqs.get_queue_url(QueueName="kill-failures")["QueueUrl"]
            self.assertTrue(wait_until(lambda: queued_events(data_dir) == 0, timeout=90))
            messages = receive_all(sqs, url, 1)
        finally:
            engine.stop()
        self.assertEqual(len(messages), 1, "the record must arrive once")
        record = json.loads(messages[0]["Body"])
        self.assertEqual(record["requestContext"]["requestId"], request_id)
        self.assertEqual(record["requestContext"]["approximateInvokeCount"], 3)
        self.assertEqual(len(attempts_of(data_dir, request_id)), 3)


if __name__ == "__main__":
    unittest.main()
