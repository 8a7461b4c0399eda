"""Aliases through boto3 and awscli: CRUD in AWS's shapes and words, invoking through an alias
(pinned while $LATEST changes, on every backend), and a weighted second version observed over 1 000 invokes."""

import base64
import json
import math
import unittest

from lambdesk_e2e import EngineTestCase, api_only, python_runtime, zip_bytes

ROLE = "arn:aws:iam::000000000000:role/x"
ARN = "arn:aws:lambda:us-east-1:000000000000:function:"


def code(label):
    return zip_bytes({"app.py": "import os\n"
                                "def handler(event, context):\n"
                                "    return {'label': %r, 'version': os.environ['AWS_LAMBDA_FUNCTION_VERSION'],\n"
                                "            'arn': context.invoked_function_arn}\n" % label})


class Aliases(EngineTestCase):
    engine_args = ("--routing-seed", "20261206")

    def setUp(self):
        self.client = self.boto3_client()

    def make_function(self, name):
        """$LATEST, version 1 ("one") and version 2 ("two")."""
        self.client.create_function(FunctionName=name, Runtime=python_runtime(), Role=ROLE, Handler="app.handler",
                                    Code={"ZipFile": code("one")})
        self.assertEqual(self.client.publish_version(FunctionName=name)["Version"], "1")
        self.client.update_function_code(FunctionName=name, ZipFile=code("two"))
        self.assertEqual(self.client.publish_version(FunctionName=name)["Version"], "2")

    def invoke(self, name, qualifier, log=False):
        response = self.client.invoke(FunctionName=name, Qualifier=qualifier, LogType="Tail" if log else "None")
        body = json.loads(response["Payload"].read())
        self.assertNotIn("FunctionError", response, body)
        return response, body

    def test_alias_lifecycle_and_pinning(self):
        self.make_function("pinned")
        created = self.client.create_alias(FunctionName="pinned", Name="live", FunctionVersion="1",
                                           Description="what users get")
        self.assertEqual(created["ResponseMetadata"]["HTTPStatusCode"], 201)
        self.assertEqual(created["AliasArn"], ARN + "pinned:live")
        self.assertEqual(created["FunctionVersion"], "1")
        self.assertEqual(created["Description"], "what users get")
        self.assertTrue(created["RevisionId"])

        response, body = self.invoke("pinned", "live", log=True)
        self.assertEqual(response["ExecutedVersion"], "1")
        self.assertEqual(body, {"label": "one", "version": "1", "arn": ARN + "pinned:live"})
        self.assertIn("Version: 1", base64.b64decode(response["LogResult"]).decode())
        # The alias stays on version 1 while $LATEST changes.
        self.client.update_function_code(FunctionName="pinned", ZipFile=code("three"))
        self.assertEqual(self.invoke("pinned", "$LATEST")[1]["label"], "three")
        self.assertEqual(self.invoke("pinned", "live")[1]["label"], "one")
        self.assertEqual(self.invoke(ARN + "pinned:live", "live")[1]["label"], "one")

        config = self.client.get_function_configuration(FunctionName="pinned", Qualifier="live")
        self.assertEqual(config["Version"], "1")
        self.assertEqual(config["FunctionArn"], ARN + "pinned:live")
        self.assertEqual(self.client.get_function(FunctionName="pinned:live")["Configuration"]["Version"], "1")

        got = self.client.get_alias(FunctionName="pinned", Name="live")
        self.assertEqual(got["RevisionId"], created["RevisionId"])
        self.assert_error("PreconditionFailedException", "Revision Id", self.client.update_alias,
                          FunctionName="pinned", Name="live", FunctionVersion="2", RevisionId="stale")
        updated = self.client.update_alias(FunctionName="pinned", Name="live", FunctionVersion="2",
                                           RevisionId=got["RevisionId"])
        self.assertEqual(updated["FunctionVersion"], "2")
        self.assertEqual(updated["Description"], "what users get")  # unchanged fields stay
        self.assertEqual(self.invoke("pinned", "live")[1]["label"], "two")

        self.client.create_alias(FunctionName="pinned", Name="dev", FunctionVersion="$LATEST")
        self.client.create_alias(FunctionName="pinned", Name="beta", FunctionVersion="1",
                                 RoutingConfig={"AdditionalVersionWeights": {"2": 0.5}})
        names = [a["Name"] for a in self.client.list_aliases(FunctionName="pinned")["Aliases"]]
        self.assertEqual(names, ["beta", "dev", "live"])
        on_two = [a["Name"] for a in self.client.list_aliases(FunctionName="pinned", FunctionVersion="2")["Aliases"]]
        self.assertEqual(on_two, ["beta", "live"])
        page = self.client.list_aliases(FunctionName="pinned", MaxItems=2)
        self.assertEqual(len(page["Aliases"]), 2)
        self.assertEqual(len(self.client.list_aliases(FunctionName="pinned", Marker=page["NextMarker"])["Aliases"]), 1)

        # A version an alias names cannot go; the alias can, idempotently.
        self.assert_error("ResourceConflictException", "aliases reference it", self.client.delete_function,
                          FunctionName="pinned", Qualifier="2")
        self.client.delete_alias(FunctionName="pinned", Name="dev")
        self.client.delete_alias(FunctionName="pinned", Name="dev")
        self.assert_error("ResourceNotFoundException", "Cannot find alias arn: " + ARN + "pinned:dev",
                          self.client.get_alias, FunctionName="pinned", Name="dev")

    @api_only
    def test_bad_aliases_are_refused_in_aws_words(self):
        self.make_function("strict")
        self.client.create_alias(FunctionName="strict", Name="prod", FunctionVersion="1")
        self.assert_error("ResourceConflictException", "Alias already exists: " + ARN + "strict:prod",
                          self.client.create_alias, FunctionName="strict", Name="prod", FunctionVersion="2")
        self.assert_error("ResourceNotFoundException", "Function not found: " + ARN + "strict:9",
                          self.client.create_alias, FunctionName="strict", Name="nine", FunctionVersion="9")
        self.assert_error("ValidationException", "(?!^[0-9]+$)", self.client.create_alias,
                          FunctionName="strict", Name="123", FunctionVersion="1")
        self.assert_error("InvalidParameterValueException", "$LATEST is not supported", self.client.create_alias,
                          FunctionName="strict", Name="latest-split", FunctionVersion="$LATEST",
                          RoutingConfig={"AdditionalVersionWeights": {"1": 0.1}})
        self.assert_error("ValidationException", "routingConfig.additionalVersionWeights", self.client.create_alias,
                          FunctionName="strict", Name="heavy", FunctionVersion="1",
                          RoutingConfig={"AdditionalVersionWeights": {"2": 1.5}})
        self.assert_error("InvalidParameterValueException", "already included in routing configuration",
                          self.client.create_alias, FunctionName="strict", Name="same", FunctionVersion="1",
                          RoutingConfig={"AdditionalVersionWeights": {"1": 0.5}})
        self.assert_error("ResourceNotFoundException", "Function not found", self.client.create_alias,
                          FunctionName="missing", Name="x", FunctionVersion="1")
        self.assert_error("ResourceNotFoundException", "Function not found: " + ARN + "strict:99999999999",
                          self.client.create_alias, FunctionName="strict", Name="huge", FunctionVersion="99999999999")
        # "01" is version 1: stored as "1", and it keeps version 1 from being deleted as "01".
        self.assertEqual(self.client.create_alias(FunctionName="strict", Name="padded",
                                                  FunctionVersion="01")["FunctionVersion"], "1")
        self.assert_error("ResourceConflictException", "padded", self.client.delete_function,
                          FunctionName="strict", Qualifier="01")
        self.assert_error("ResourceNotFoundException", "Function not found", self.client.invoke,
                          FunctionName="strict", Qualifier="nosuchalias")

    @api_only
    def test_weighted_alias_splits_invocations(self):
        self.make_function("canary")
        self.client.create_alias(FunctionName="canary", Name="live", FunctionVersion="1",
                                 RoutingConfig={"AdditionalVersionWeights": {"2": 0.3}})
        invokes = 1000
        counts = {"1": 0, "2": 0}
        for _ in range(invokes):
            response, body = self.invoke("canary", "live")
            self.assertEqual(response["ExecutedVersion"], body["version"])
            counts[response["ExecutedVersion"]] += 1
        # Binomial(1000, 0.3): mean 300, standard deviation 14.5; five deviations either side.
        bound = 5 * math.sqrt(invokes * 0.3 * 0.7)
        self.assertLess(abs(counts["2"] - 300), bound, counts)
        self.assertEqual(counts["1"] + counts["2"], invokes)


class AliasesThroughTheCli(EngineTestCase):
    @api_only
    def test_create_and_list_with_awscli(self):
        client = self.boto3_client()
        client.create_function(FunctionName="cli-fn", Runtime=python_runtime(), Role=ROLE, Handler="app.handler",
                               Code={"ZipFile": code("one")}, Publish=True)
        created = json.loads(self.aws("create-alias", "--function-name", "cli-fn", "--name", "prod",
                                      "--function-version", "1").stdout)
        self.assertEqual(created["AliasArn"], ARN + "cli-fn:prod")
        listed = json.loads(self.aws("list-aliases", "--function-name", "cli-fn").stdout)
        self.assertEqual([a["Name"] for a in listed["Aliases"]], ["prod"])


if __name__ == "__main__":
    unittest.main()
