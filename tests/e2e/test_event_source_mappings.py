"""Event source mappings: Create/Get/List/Update/DeleteEventSourceMapping through boto3 and the
awscli, a function consuming a local queue with partial batch failures and a dead-letter queue,
and a SIGKILL while a batch runs: after the restart the message is delivered again, not lost."""

import json
import os
import shutil
import sqlite3
import tempfile
import unittest

from lambdesk_e2e import EngineProcess, EngineTestCase, api_only, python_runtime, wait_until, zip_bytes
from test_durability import _processes_mentioning
from test_security import ANY_KEY, RawHttp

ROLE = "arn:aws:iam::000000000000:role/x"
QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
PARTIAL = """import json
def handler(event, context):
    failed = [{"itemIdentifier": r["messageId"]} for r in event["Records"] if r["body"] == "bad"]
    print("BODIES " + json.dumps([r["body"] for r in event["Records"]]))
    return {"batchItemFailures": failed}
"""


def counts(sqs, url):
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return attributes["ApproximateNumberOfMessages"], attributes["ApproximateNumberOfMessagesNotVisible"]


def make_function(client, name, code, timeout=3):
    client.create_function(FunctionName=name, Runtime=python_runtime(), Role=ROLE, Handler="app.handler",
                           Timeout=timeout, Code={"ZipFile": zip_bytes({"app.py": code})})


@api_only
class MappingsApi(EngineTestCase):
    def setUp(self):
        self.client = self.boto3_client()
        self.sqs = self.boto3_client(service="sqs")

    def test_mapping_lifecycle(self):
        make_function(self.client, "worker", "def handler(e, c):\n    return None\n")
        self.sqs.create_queue(QueueName="inbox")
        pattern = json.dumps({"body": {"kind": ["order"]}})
        created = self.client.create_event_source_mapping(
            EventSourceArn=QUEUE_ARN + "inbox", FunctionName="worker", BatchSize=50,
            MaximumBatchingWindowInSeconds=2, FunctionResponseTypes=["ReportBatchItemFailures"],
            FilterCriteria={"Filters": [{"Pattern": pattern}]})
        self.assertEqual(created["ResponseMetadata"]["HTTPStatusCode"], 202)
        self.assertEqual(created["State"], "Creating")
        self.assertEqual(created["FunctionArn"], FUNCTION_ARN + "worker")
        self.assertEqual(created["EventSourceArn"], QUEUE_ARN + "inbox")
        self.assertEqual(created["BatchSize"], 50)
        self.assertEqual(created["FilterCriteria"], {"Filters": [{"Pattern": pattern}]})
        # ScalingConfig is newer than Debian's botocore: tests/core/mappings_test.cpp covers it.
        uuid = created["UUID"]

        self.assertEqual(self.client.get_event_source_mapping(UUID=uuid)["State"], "Enabled")
        listed = self.client.list_event_source_mappings(FunctionName="worker")["EventSourceMappings"]
        self.assertEqual([m["UUID"] for m in listed], [uuid])
        self.assertEqual(len(self.client.list_event_source_mappings(
            EventSourceArn=QUEUE_ARN + "inbox")["EventSourceMappings"]), 1)
        self.assertEqual(self.client.list_event_source_mappings(
            EventSourceArn=QUEUE_ARN + "other")["EventSourceMappings"], [])

        updated = self.client.update_event_source_mapping(UUID=uuid, Enabled=False, BatchSize=5)
        self.assertEqual(updated["State"], "Updating")
        got = self.client.get_event_source_mapping(UUID=uuid)
        self.assertEqual((got["State"], got["BatchSize"]), ("Disabled", 5))

        self.assert_error("ResourceConflictException", "already exists", self.client.create_event_source_mapping,
                          EventSourceArn=QUEUE_ARN + "inbox", FunctionName="worker")
        self.assertEqual(self.client.delete_event_source_mapping(UUID=uuid)["State"], "Deleting")
        self.assert_error("ResourceNotFoundException", "does not exist", self.client.get_event_source_mapping,
                          UUID=uuid)

    def test_bad_input_in_lambdas_words(self):
        make_function(self.client, "picky", "def handler(e, c):\n    return None\n")
        self.sqs.create_queue(QueueName="picky-q")
        self.assert_error("InvalidParameterValueException", "Maximum batch window",
                          self.client.create_event_source_mapping, EventSourceArn=QUEUE_ARN + "picky-q",
                          FunctionName="picky", BatchSize=100)
        self.assert_error("ResourceNotFoundException", "nobody", self.client.create_event_source_mapping,
                          EventSourceArn=QUEUE_ARN + "picky-q", FunctionName="nobody")
        self.assert_error("InvalidParameterValueException", "does not exist",
                          self.client.create_event_source_mapping, EventSourceArn=QUEUE_ARN + "no-queue",
                          FunctionName="picky")
        self.assert_error("InvalidParameterValueException", "Invalid filter pattern",
                          self.client.create_event_source_mapping, EventSourceArn=QUEUE_ARN + "picky-q",
                          FunctionName="picky", FilterCriteria={"Filters": [{"Pattern": "{\"body\": 1}"}]})
        self.assert_error("ValidationException", "ReportBatchItemFailures",
                          self.client.create_event_source_mapping, EventSourceArn=QUEUE_ARN + "picky-q",
                          FunctionName="picky", FunctionResponseTypes=["Everything"])

    def test_awscli_mappings(self):
        make_function(self.client, "cli-worker", "def handler(e, c):\n    return None\n")
        self.sqs.create_queue(QueueName="cli-q")
        created = self.aws_json("create-event-source-mapping", "--function-name", "cli-worker",
                                "--event-source-arn", QUEUE_ARN + "cli-q", "--batch-size", "3")
        listed = self.aws_json("list-event-source-mappings", "--function-name", "cli-worker")
        self.assertEqual(listed["EventSourceMappings"][0]["BatchSize"], 3)
        self.aws("delete-event-source-mapping", "--uuid", created["UUID"])
        self.assertEqual(self.aws_json("list-event-source-mappings")["EventSourceMappings"], [])

    def test_cross_origin_create_is_refused(self):
        status, headers, _ = RawHttp(self.engine.url).send(
            "POST", "/2015-03-31/event-source-mappings/", b'{"FunctionName": "x", "EventSourceArn": "y"}',
            {"Content-Type": "text/plain", "Origin": "http://evil.example", "Authorization": ANY_KEY})
        self.assertEqual(status, 403)
        self.assertEqual(headers.get("x-amzn-ErrorType"), "AccessDeniedException")


class QueueConsumer(EngineTestCase):
    def test_partial_failures_go_to_the_dead_letter_queue(self):
        client = self.boto3_client()
        sqs = self.boto3_client(service="sqs")
        make_function(client, "consumer", PARTIAL)
        dlq = sqs.create_queue(QueueName="consumer-dlq")["QueueUrl"]
        url = sqs.create_queue(QueueName="consumer-q", Attributes={
            "VisibilityTimeout": "3",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": QUEUE_ARN + "consumer-dlq", "maxReceiveCount": 1})}
        )["QueueUrl"]
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "good"},
                                                      {"Id": "b", "MessageBody": "bad"}])
        client.create_event_source_mapping(EventSourceArn=QUEUE_ARN + "consumer-q", FunctionName="consumer",
                                           FunctionResponseTypes=["ReportBatchItemFailures"])
        # "good" is deleted at once; "bad" returns after 3 s and moves to the dead-letter queue.
        self.assertTrue(wait_until(lambda: counts(sqs, dlq) == ("1", "0"), timeout=60),
                        (counts(sqs, url), counts(sqs, dlq)))
        self.assertEqual(counts(sqs, url), ("0", "0"))
        dead = sqs.receive_message(QueueUrl=dlq)["Messages"]
        self.assertEqual(dead[0]["Body"], "bad")


class KillMidBatch(unittest.TestCase):
    def test_sigkill_during_a_batch_redelivers_it(self):
        data_dir = tempfile.mkdtemp(prefix="lambdesk-esm-kill-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        engine = EngineProcess(data_dir)
        try:
            client = EngineTestCase.boto3_client(self, engine.url)
            sqs = EngineTestCase.boto3_client(self, engine.url, service="sqs")
            make_function(client, "slow-consumer",
                          "import time\ndef handler(e, c):\n    time.sleep(2)\n    return None\n")
            url = sqs.create_queue(QueueName="kill-q", Attributes={"VisibilityTimeout": "3"})["QueueUrl"]
            sqs.send_message(QueueUrl=url, MessageBody="survive me")
            client.create_event_source_mapping(EventSourceArn=QUEUE_ARN + "kill-q", FunctionName="slow-consumer")
            # The batch is in flight once the message is received and the function's sandbox runs.
            tree = os.path.join(data_dir, "functions", "slow-consumer")
            self.assertTrue(wait_until(lambda: counts(sqs, url) == ("0", "1") and bool(_processes_mentioning(tree)),
                                       timeout=30))
            engine.kill()
        finally:
            engine.stop()

        engine = EngineProcess(data_dir)
        try:
            sqs = EngineTestCase.boto3_client(self, engine.url, service="sqs")
            # Redelivered after the visibility timeout, handled, deleted.
            self.assertTrue(wait_until(lambda: counts(sqs, url) == ("0", "0"), timeout=60), counts(sqs, url))
        finally:
            engine.stop()
        db = sqlite3.connect(os.path.join(data_dir, "lambdesk.db"))
        handled = db.execute("SELECT count(*) FROM invocations WHERE source = 'queue' AND status = 'Succeeded'"
                             ).fetchone()[0]
        db.close()
        self.assertGreaterEqual(handled, 1)


if __name__ == "__main__":
    unittest.main()
