"""Resource-based policies through boto3 and awscli: AddPermission, GetPolicy and RemovePermission in
AWS's shapes and words, per function, version and alias."""

import json
import unittest

from lambdesk_e2e import EngineTestCase, python_runtime, zip_bytes

ROLE = "arn:aws:iam::000000000000:role/x"
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
CODE = zip_bytes({"app.py": "def handler(event, context):\n    return 1\n"})


class Permissions(EngineTestCase):
    def setUp(self):
        self.client = self.boto3_client()

    def make_function(self, name):
        self.client.create_function(FunctionName=name, Runtime=python_runtime(), Role=ROLE, Handler="app.handler",
                                    Code={"ZipFile": CODE})

    def test_statements_as_aws_writes_them(self):
        self.make_function("thumbs")
        added = self.client.add_permission(FunctionName="thumbs", StatementId="s3-invoke",
                                           Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                                           SourceArn="arn:aws:s3:::photos", SourceAccount="111122223333")
        self.assertEqual(added["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(added["Statement"],
                         '{"Sid":"s3-invoke","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},'
                         '"Action":"lambda:InvokeFunction","Resource":"%sthumbs",'
                         '"Condition":{"StringEquals":{"AWS:SourceAccount":"111122223333"},'
                         '"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::photos"}}}' % ARN)
        self.client.add_permission(FunctionName="thumbs", StatementId="other-account",
                                   Action="lambda:GetFunction", Principal="111122223333")
        self.client.add_permission(FunctionName="thumbs", StatementId="FunctionURLAllowPublicAccess",
                                   Action="lambda:InvokeFunctionUrl", Principal="*", FunctionUrlAuthType="NONE")

        got = self.client.get_policy(FunctionName="thumbs")
        policy = json.loads(got["Policy"])
        self.assertEqual(policy["Version"], "2012-10-17")
        self.assertEqual(policy["Id"], "default")
        self.assertEqual([s["Sid"] for s in policy["Statement"]],
                         ["s3-invoke", "other-account", "FunctionURLAllowPublicAccess"])
        self.assertEqual(policy["Statement"][1]["Principal"], {"AWS": "arn:aws:iam::111122223333:root"})
        self.assertEqual(policy["Statement"][2]["Principal"], "*")
        self.assertEqual(policy["Statement"][2]["Condition"],
                         {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}})
        self.assertTrue(got["RevisionId"])

        self.assert_error("ResourceConflictException",
                          "The statement id (s3-invoke) provided already exists. Please provide a new statement "
                          "id, or remove the existing statement.",
                          self.client.add_permission, FunctionName="thumbs", StatementId="s3-invoke",
                          Action="lambda:InvokeFunction", Principal="s3.amazonaws.com")
        self.assert_error("PreconditionFailedException", "Call the GetPolicy API",
                          self.client.add_permission, FunctionName="thumbs", StatementId="late",
                          Action="lambda:InvokeFunction", Principal="*", RevisionId="stale")

        self.assert_error("ResourceNotFoundException", "Statement nope is not found in resource policy.",
                          self.client.remove_permission, FunctionName="thumbs", StatementId="nope")
        removed = self.client.remove_permission(FunctionName="thumbs", StatementId="other-account",
                                                RevisionId=got["RevisionId"])
        self.assertEqual(removed["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertNotEqual(self.client.get_policy(FunctionName="thumbs")["RevisionId"], got["RevisionId"])
        for sid in ("s3-invoke", "FunctionURLAllowPublicAccess"):
            self.client.remove_permission(FunctionName="thumbs", StatementId=sid)
        self.assert_error("ResourceNotFoundException", "The resource you requested does not exist.",
                          self.client.get_policy, FunctionName="thumbs")

    def test_versions_and_aliases_have_their_own_policy(self):
        self.make_function("orders")
        self.client.publish_version(FunctionName="orders")
        self.client.create_alias(FunctionName="orders", Name="live", FunctionVersion="1")
        added = self.client.add_permission(FunctionName="orders", Qualifier="live", StatementId="events",
                                           Action="lambda:InvokeFunction", Principal="events.amazonaws.com")
        self.assertEqual(json.loads(added["Statement"])["Resource"], ARN + "orders:live")
        self.client.add_permission(FunctionName=ARN + "orders:1", StatementId="v1",
                                   Action="lambda:InvokeFunction", Principal="sns.amazonaws.com")
        self.assertEqual([s["Sid"] for s in json.loads(self.client.get_policy(FunctionName="orders",
                                                                             Qualifier="live")["Policy"])["Statement"]],
                         ["events"])
        self.assertEqual(json.loads(self.client.get_policy(FunctionName="orders", Qualifier="1")["Policy"])
                         ["Statement"][0]["Resource"], ARN + "orders:1")
        self.assert_error("ResourceNotFoundException", "The resource you requested does not exist.",
                          self.client.get_policy, FunctionName="orders")

        self.assert_error("InvalidParameterValueException", "We currently do not support adding policies for $LATEST.",
                          self.client.add_permission, FunctionName="orders", Qualifier="$LATEST", StatementId="x",
                          Action="lambda:InvokeFunction", Principal="*")
        self.assert_error("ResourceNotFoundException", ARN + "orders:gone",
                          self.client.add_permission, FunctionName="orders", Qualifier="gone", StatementId="x",
                          Action="lambda:InvokeFunction", Principal="*")
        self.assert_error("ResourceNotFoundException", ARN + "missing",
                          self.client.get_policy, FunctionName="missing")

        # The policy goes with its alias: a new alias of the same name starts without one.
        self.client.delete_alias(FunctionName="orders", Name="live")
        self.client.create_alias(FunctionName="orders", Name="live", FunctionVersion="1")
        self.assert_error("ResourceNotFoundException", "The resource you requested does not exist.",
                          self.client.get_policy, FunctionName="orders", Qualifier="live")

    def test_bad_input_in_aws_words(self):
        self.make_function("strict")
        self.assert_error("ValidationException", "Value 'has space' at 'statementId' failed to satisfy constraint",
                          self.client.add_permission, FunctionName="strict", StatementId="has space",
                          Action="lambda:InvokeFunction", Principal="*")
        self.assert_error("ValidationException", "at 'action' failed to satisfy constraint",
                          self.client.add_permission, FunctionName="strict", StatementId="a",
                          Action="s3:GetObject", Principal="*")
        self.assert_error("InvalidParameterValueException", "The provided principal was invalid.",
                          self.client.add_permission, FunctionName="strict", StatementId="a",
                          Action="lambda:InvokeFunction", Principal="nobody")
        self.assert_error("ValidationException", "at 'functionUrlAuthType' failed to satisfy constraint",
                          self.client.add_permission, FunctionName="strict", StatementId="a",
                          Action="lambda:InvokeFunctionUrl", Principal="*", FunctionUrlAuthType="MAYBE")
        long_arn = "arn:aws:s3:::" + "b" * 900
        with self.assertRaises(self.client.exceptions.ClientError) as raised:
            for n in range(40):
                self.client.add_permission(FunctionName="strict", StatementId="s%d" % n,
                                           Action="lambda:InvokeFunction", Principal="s3.amazonaws.com",
                                           SourceArn=long_arn)
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], "PolicyLengthExceededException")
        self.assertRegex(error["Message"], r"^The final policy size \(\d+\) is bigger than the limit \(20480\)\.$")
        self.assertLess(len(json.loads(self.client.get_policy(FunctionName="strict")["Policy"])["Statement"]), 40)

    def test_awscli(self):
        self.make_function("cli-fn")
        added = self.aws_json("add-permission", "--function-name", "cli-fn", "--statement-id", "sns",
                              "--action", "lambda:InvokeFunction", "--principal", "sns.amazonaws.com",
                              "--source-arn", "arn:aws:sns:us-east-1:000000000000:alerts")
        self.assertEqual(json.loads(added["Statement"])["Condition"],
                         {"ArnLike": {"AWS:SourceArn": "arn:aws:sns:us-east-1:000000000000:alerts"}})
        policy = json.loads(self.aws_json("get-policy", "--function-name", "cli-fn")["Policy"])
        self.assertEqual(policy["Statement"][0]["Sid"], "sns")
        self.aws("remove-permission", "--function-name", "cli-fn", "--statement-id", "sns")
        failed = self.aws("get-policy", "--function-name", "cli-fn", check=False)
        self.assertNotEqual(failed.returncode, 0)
        self.assertIn("ResourceNotFoundException", failed.stderr)


if __name__ == "__main__":
    unittest.main()
