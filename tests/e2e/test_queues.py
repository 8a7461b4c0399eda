"""Queues: SQS's operations on the API's endpoint, through Debian's boto3 and awscli (the query
protocol) and through botocore speaking AWS JSON 1.0 as current boto3 does, plus a web page that
tries to create a queue. Visibility, redrive and long polling on a moved clock are in
tests/core/queues_test.cpp; here they run on the real clock only where no wait is needed."""

import copy
import hashlib
import json
import os
import struct
import tempfile
import threading
import time
import unittest

from lambdesk_e2e import AUTH, EngineTestCase, api_only
from test_security import ANY_KEY, RawHttp

ACCOUNT = "000000000000"
QUEUE_ARN = "arn:aws:sqs:us-east-1:%s:" % ACCOUNT


def attributes_md5(attributes):
    """SQS's MD5 of message attributes, from its documentation (names sorted, length-prefixed)."""
    encoded = b""
    for name in sorted(attributes):
        value = attributes[name]
        data_type = value["DataType"]
        binary = data_type.startswith("Binary")
        raw = value["BinaryValue"] if binary else value["StringValue"].encode()
        for part in (name.encode(), data_type.encode()):
            encoded += struct.pack(">I", len(part)) + part
        encoded += bytes([2 if binary else 1]) + struct.pack(">I", len(raw)) + raw
    return hashlib.md5(encoded).hexdigest()


def json_protocol_data_path():
    """A botocore data dir whose SQS model speaks AWS JSON 1.0, as botocore >= 1.31.x ships it:
    Debian's boto3 then serialises exactly as current boto3 and the JS SDK do."""
    import botocore.loaders
    model = botocore.loaders.Loader().load_service_model("sqs", "service-2")
    model = copy.deepcopy(model)
    model["metadata"].update({"protocol": "json", "jsonVersion": "1.0", "targetPrefix": "AmazonSQS",
                              "awsQueryCompatible": {}})
    model["metadata"].pop("xmlNamespace", None)
    # The query model names flattened members for XML ("Attribute"); JSON uses member names.
    for shape in model["shapes"].values():
        shape.pop("flattened", None)
        shape.pop("locationName", None)
        for member in shape.get("members", {}).values():
            member.pop("locationName", None)
        for part in ("member", "key", "value"):
            if part in shape:
                shape[part].pop("locationName", None)
    root = tempfile.mkdtemp(prefix="lambdesk-sqs-json-")
    folder = os.path.join(root, "sqs", model["metadata"]["apiVersion"])
    os.makedirs(folder)
    with open(os.path.join(folder, "service-2.json"), "w") as out:
        json.dump(model, out)
    return root


class QueueFlows:
    """The same flows over either protocol; subclasses make self.client."""

    def make_queue(self, name, **attributes):
        return self.client.create_queue(QueueName=name, Attributes={k: str(v) for k, v in attributes.items()})["QueueUrl"]

    def test_queue_lifecycle(self):
        url = self.make_queue("orders", VisibilityTimeout=45)
        self.assertTrue(url.endswith("/%s/orders" % ACCOUNT), url)
        self.assertEqual(self.client.get_queue_url(QueueName="orders")["QueueUrl"], url)
        # Same attributes: the same queue; others: QueueAlreadyExists.
        self.assertEqual(self.make_queue("orders", VisibilityTimeout=45), url)
        self.assert_error("QueueAlreadyExists", "different value", self.make_queue, "orders", VisibilityTimeout=46)
        self.make_queue("orders-dlq")
        self.make_queue("payments")
        listed = self.client.list_queues(QueueNamePrefix="orders")["QueueUrls"]
        self.assertEqual([u.rsplit("/", 1)[1] for u in listed], ["orders", "orders-dlq"])

        attributes = self.client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attributes["QueueArn"], QUEUE_ARN + "orders")
        self.assertEqual(attributes["VisibilityTimeout"], "45")
        self.assertEqual(attributes["ApproximateNumberOfMessages"], "0")
        self.assertEqual(attributes["MessageRetentionPeriod"], "345600")
        self.client.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "3"})
        only = self.client.get_queue_attributes(QueueUrl=url, AttributeNames=["DelaySeconds"])["Attributes"]
        self.assertEqual(only, {"DelaySeconds": "3"})

        self.client.tag_queue(QueueUrl=url, Tags={"team": "shop"})
        self.assertEqual(self.client.list_queue_tags(QueueUrl=url)["Tags"], {"team": "shop"})
        self.client.untag_queue(QueueUrl=url, TagKeys=["team"])
        self.assertNotIn("Tags", self.client.list_queue_tags(QueueUrl=url))

        self.client.delete_queue(QueueUrl=url)
        self.assert_error("AWS.SimpleQueueService.NonExistentQueue", "does not exist",
                          self.client.get_queue_url, QueueName="orders")
        with self.assertRaises(self.client.exceptions.QueueDoesNotExist):
            self.client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])

    def test_messages_round_trip_byte_exact(self):
        url = self.make_queue("texts")
        body = "line one\r\nZürich <&> \"quoted\" 🚀\ttab"
        attributes = {"city": {"DataType": "String", "StringValue": "Genève"},
                      "count": {"DataType": "Number", "StringValue": "42"},
                      "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff"}}
        sent = self.client.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attributes)
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5(body.encode()).hexdigest())
        self.assertEqual(sent["MD5OfMessageAttributes"], attributes_md5(attributes))

        got = self.client.receive_message(QueueUrl=url, AttributeNames=["All"], MessageAttributeNames=["All"],
                                          MaxNumberOfMessages=10)["Messages"]
        self.assertEqual(len(got), 1)
        message = got[0]
        self.assertEqual(message["Body"], body)
        self.assertEqual(message["MessageId"], sent["MessageId"])
        self.assertEqual(message["MD5OfBody"], sent["MD5OfMessageBody"])
        self.assertEqual(message["MessageAttributes"]["blob"]["BinaryValue"], b"\x00\x01\xfe\xff")
        self.assertEqual(message["MessageAttributes"]["city"]["StringValue"], "Genève")
        self.assertEqual(message["MD5OfMessageAttributes"], attributes_md5(attributes))
        self.assertEqual(message["Attributes"]["ApproximateReceiveCount"], "1")
        self.assertAlmostEqual(int(message["Attributes"]["SentTimestamp"]) / 1000, time.time(), delta=60)
        # In flight: not visible to a second receive, counted as not visible.
        self.assertNotIn("Messages", self.client.receive_message(QueueUrl=url))
        counts = self.client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(counts["ApproximateNumberOfMessagesNotVisible"], "1")

        self.client.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"],
                                              VisibilityTimeout=0)
        again = self.client.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])["Messages"]
        self.assertEqual(again[0]["Attributes"], {"ApproximateReceiveCount": "2"})
        self.client.delete_message(QueueUrl=url, ReceiptHandle=again[0]["ReceiptHandle"])
        self.assert_error("InvalidParameterValue", "Message does not exist", self.client.change_message_visibility,
                          QueueUrl=url, ReceiptHandle=again[0]["ReceiptHandle"], VisibilityTimeout=5)
        self.assert_error("ReceiptHandleIsInvalid", "not a valid receipt handle", self.client.delete_message,
                          QueueUrl=url, ReceiptHandle="made-up")

    def test_batches_report_each_entry(self):
        url = self.make_queue("batch")
        result = self.client.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "a", "MessageBody": "first"},
            {"Id": "b", "MessageBody": "second", "DelaySeconds": 0},
            {"Id": "bad", "MessageBody": "nul \x01 inside"},
        ])
        self.assertEqual(sorted(e["Id"] for e in result["Successful"]), ["a", "b"])
        self.assertEqual(len(result["Failed"]), 1)
        failed = result["Failed"][0]
        self.assertEqual((failed["Id"], failed["Code"], failed["SenderFault"]), ("bad", "InvalidMessageContents", True))

        messages = self.client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        self.assertEqual(sorted(m["Body"] for m in messages), ["first", "second"])
        changed = self.client.change_message_visibility_batch(QueueUrl=url, Entries=[
            {"Id": "m%d" % i, "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 60}
            for i, m in enumerate(messages)])
        self.assertEqual(len(changed["Successful"]), 2)
        deleted = self.client.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "m%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)]
            + [{"Id": "junk", "ReceiptHandle": "junk"}])
        self.assertEqual(sorted(e["Id"] for e in deleted["Successful"]), ["m0", "m1"])
        self.assertEqual(deleted["Failed"][0]["Code"], "ReceiptHandleIsInvalid")

        self.assert_error("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id x repeated",
                          self.client.send_message_batch, QueueUrl=url,
                          Entries=[{"Id": "x", "MessageBody": "1"}, {"Id": "x", "MessageBody": "2"}])
        self.assert_error("AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "You have sent 11",
                          self.client.send_message_batch, QueueUrl=url,
                          Entries=[{"Id": "e%d" % i, "MessageBody": "x"} for i in range(11)])

    def test_redrive_to_a_dead_letter_queue(self):
        dlq = self.make_queue("jobs-dlq")
        policy = json.dumps({"deadLetterTargetArn": QUEUE_ARN + "jobs-dlq", "maxReceiveCount": "1"})
        url = self.make_queue("jobs", VisibilityTimeout=0, RedrivePolicy=policy)
        sent = self.client.send_message(QueueUrl=url, MessageBody="poison")
        self.assertEqual(len(self.client.receive_message(QueueUrl=url)["Messages"]), 1)
        # Received once already: the next receive moves it rather than delivering it again.
        self.assertNotIn("Messages", self.client.receive_message(QueueUrl=url))
        dead = self.client.receive_message(QueueUrl=dlq, AttributeNames=["All"])["Messages"]
        self.assertEqual(dead[0]["MessageId"], sent["MessageId"])
        self.assertEqual(dead[0]["Attributes"]["DeadLetterQueueSourceArn"], QUEUE_ARN + "jobs")
        sources = self.client.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"]
        self.assertEqual([u.rsplit("/", 1)[1] for u in sources], ["jobs"])
        # Pages as ListQueues does: MaxResults, then NextToken to the rest.
        for name in ("jobs-b", "jobs-c"):
            self.make_queue(name, RedrivePolicy=policy)
        first = self.client.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2)
        self.assertEqual([u.rsplit("/", 1)[1] for u in first["queueUrls"]], ["jobs", "jobs-b"])
        rest = self.client.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2,
                                                          NextToken=first["NextToken"])
        self.assertEqual([u.rsplit("/", 1)[1] for u in rest["queueUrls"]], ["jobs-c"])
        self.assertNotIn("NextToken", rest)
        self.assert_error("InvalidParameterValue", "MaxResults must be an integer between 1 and 1000",
                          self.client.list_dead_letter_source_queues, QueueUrl=dlq, MaxResults=0)
        redrive = json.loads(self.client.get_queue_attributes(
            QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]["RedrivePolicy"])
        self.assertEqual(redrive, {"deadLetterTargetArn": QUEUE_ARN + "jobs-dlq", "maxReceiveCount": 1})

    def test_long_poll_waits_for_a_message(self):
        url = self.make_queue("poll")
        started = time.monotonic()
        self.assertNotIn("Messages", self.client.receive_message(QueueUrl=url, WaitTimeSeconds=1))
        self.assertGreaterEqual(time.monotonic() - started, 0.9)  # it waited (a lower bound only)

        result = {}
        poller = threading.Thread(target=lambda: result.update(
            self.client.receive_message(QueueUrl=url, WaitTimeSeconds=20)))
        poller.start()
        self.client.send_message(QueueUrl=url, MessageBody="arrived")
        poller.join(30)
        self.assertFalse(poller.is_alive())
        self.assertEqual(result["Messages"][0]["Body"], "arrived")

    def test_purge_and_bad_input_in_sqs_words(self):
        url = self.make_queue("purge-me")
        self.client.send_message(QueueUrl=url, MessageBody="x")
        self.client.purge_queue(QueueUrl=url)
        self.assertNotIn("Messages", self.client.receive_message(QueueUrl=url))
        self.assert_error("AWS.SimpleQueueService.PurgeQueueInProgress", "every 60 seconds",
                          self.client.purge_queue, QueueUrl=url)
        self.assert_error("InvalidAttributeName", "Unknown Attribute Colour", self.client.set_queue_attributes,
                          QueueUrl=url, Attributes={"Colour": "blue"})
        self.assert_error("InvalidAttributeValue", "VisibilityTimeout", self.client.set_queue_attributes,
                          QueueUrl=url, Attributes={"VisibilityTimeout": "43201"})
        self.assert_error("InvalidParameterValue", "alphanumeric", self.client.create_queue, QueueName="no spaces")
        self.assert_error("InvalidParameterValue", "MaxNumberOfMessages", self.client.receive_message,
                          QueueUrl=url, MaxNumberOfMessages=11)
        self.assert_error("InvalidParameterValue", "FIFO", self.client.create_queue, QueueName="q.fifo")


@api_only
class QueryProtocol(QueueFlows, EngineTestCase):
    """Debian's boto3: the query protocol (form bodies, XML answers)."""

    def setUp(self):
        self.client = self.boto3_client(service="sqs")
        if self.client.meta.service_model.protocol != "query":
            self.skipTest("this boto3 speaks %s to SQS, not the query protocol"
                          % self.client.meta.service_model.protocol)


@api_only
class JsonProtocol(QueueFlows, EngineTestCase):
    """botocore with SQS's current model: AWS JSON 1.0, X-Amz-Target AmazonSQS.*."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.data_path = json_protocol_data_path()

    def setUp(self):
        import boto3
        import botocore.config
        session = boto3.session.Session()
        session._loader.search_paths.insert(0, self.data_path)
        self.client = session.client("sqs", endpoint_url=self.engine.url, region_name="us-east-1",
                                     config=botocore.config.Config(retries={"max_attempts": 0}, read_timeout=60))
        self.assertEqual(self.client.meta.service_model.protocol, "json")


@api_only
class AwsCliQueues(EngineTestCase):
    def test_awscli_sqs(self):
        url = self.aws_json("create-queue", "--queue-name", "cli", "--attributes", "VisibilityTimeout=5",
                            service="sqs")["QueueUrl"]
        sent = self.aws_json("send-message", "--queue-url", url, "--message-body", "from the cli", service="sqs")
        got = self.aws_json("receive-message", "--queue-url", url, "--attribute-names", "All", service="sqs")
        self.assertEqual(got["Messages"][0]["MessageId"], sent["MessageId"])
        self.assertEqual(got["Messages"][0]["Body"], "from the cli")
        self.aws("delete-message", "--queue-url", url, "--receipt-handle", got["Messages"][0]["ReceiptHandle"],
                 service="sqs")
        attributes = self.aws_json("get-queue-attributes", "--queue-url", url, "--attribute-names", "All",
                                   service="sqs")["Attributes"]
        self.assertEqual(attributes["ApproximateNumberOfMessagesNotVisible"], "0")
        missing = self.aws("get-queue-url", "--queue-name", "nope", check=False, service="sqs")
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn("NonExistentQueue", missing.stderr)
        self.aws("delete-queue", "--queue-url", url, service="sqs")


class QueueBrowserAttack(EngineTestCase):
    """A web page's form POST is exactly the query protocol: it must not reach the queues."""

    def test_cross_site_form_post_is_refused(self):
        http = RawHttp(self.engine.url)
        form = b"Action=CreateQueue&Version=2012-11-05&QueueName=planted"
        status, headers, body = http.send("POST", "/", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example",
            "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"})
        self.assertEqual(status, 403)
        self.assertIn(b"<ErrorResponse", body)
        # Without any Authorization header either (a form cannot add one).
        status, _, body = http.send("POST", "/", form, {"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 403)
        self.assertIn(b"MissingAuthenticationToken", body)
        names = self.boto3_client(service="sqs").list_queues().get("QueueUrls", [])
        self.assertFalse([n for n in names if n.endswith("/planted")])

    def test_cross_origin_json_target_is_refused(self):
        http = RawHttp(self.engine.url)
        status, headers, body = http.send("POST", "/", b'{"QueueName": "planted"}', {
            "Content-Type": "text/plain", "X-Amz-Target": "AmazonSQS.CreateQueue",
            "Origin": "http://evil.example", "Authorization": ANY_KEY})
        self.assertEqual(status, 403)
        self.assertEqual(headers.get("x-amzn-query-error"), "AccessDenied;Sender")

    @unittest.skipIf(AUTH == "verify", "sends a made-up signature, which only any-key mode takes")
    def test_malformed_forms_are_the_callers_mistake(self):
        http = RawHttp(self.engine.url)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": ANY_KEY}
        deep = b"Action=ListQueues&" + b".".join([b"a"] * 100000) + b"=1"
        status, _, body = http.send("POST", "/", deep, headers)
        self.assertEqual(status, 400)
        self.assertIn(b"too many parts", body)
        for form in (b"Action=CreateQueue&QueueName=q1&Attribute.Name=x",
                     b"Action=CreateQueue&QueueName=q2&Attribute.1.Name.1=x",
                     b"Action=CreateQueue&QueueName=q3&Attribute.99999999999999999999.Name=x"):
            status, _, body = http.send("POST", "/", form, headers)
            self.assertIn(status, (200, 400), body)
            self.assertIn(b"Response", body)  # an SQS document, not a server error
        status, _, body = http.send("POST", "/", b'{"QueueName": "q4", "Attributes": {"DelaySeconds": 5}}', {
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.CreateQueue",
            "Authorization": ANY_KEY})
        self.assertEqual(status, 400, body)
        self.assertEqual(json.loads(body)["__type"], "com.amazonaws.sqs#InvalidParameterValue")

    @unittest.skipIf(AUTH == "verify", "sends a made-up signature, which only any-key mode takes")
    def test_unknown_actions_are_named(self):
        http = RawHttp(self.engine.url)
        status, _, body = http.send("POST", "/", b"Action=SendCarrierPigeon&Version=2012-11-05", {
            "Content-Type": "application/x-www-form-urlencoded", "Authorization": ANY_KEY})
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>InvalidAction</Code>", body)


if __name__ == "__main__":
    unittest.main()
