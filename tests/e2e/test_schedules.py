"""Schedules: EventBridge's rule and target operations (AWS JSON 1.1 on the API's endpoint) through
boto3's events client and `aws events`, the permission a rule needs, and a web page that tries to
plant a rule. Firing on time is tested with an injectable clock (tests/core/schedules_test.cpp),
never by waiting a minute here."""

import json
import unittest

from lambdesk_e2e import AUTH, EngineTestCase, api_only, python_runtime, zip_bytes
from test_security import ANY_KEY, RawHttp

ROLE = "arn:aws:iam::000000000000:role/x"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:"
RULE_ARN = "arn:aws:events:us-east-1:000000000000:rule/"
CODE = zip_bytes({"app.py": "def handler(event, context):\n    return event\n"})


@api_only
class EventsApi(EngineTestCase):
    def setUp(self):
        self.client = self.boto3_client(service="events")
        self.lambda_client = self.boto3_client()

    def test_rule_lifecycle(self):
        arn = self.client.put_rule(Name="nightly", ScheduleExpression="cron(0 2 * * ? *)",
                                   Description="clean up")["RuleArn"]
        self.assertEqual(arn, RULE_ARN + "nightly")
        rule = self.client.describe_rule(Name="nightly")
        self.assertEqual(rule["State"], "ENABLED")
        self.assertEqual(rule["ScheduleExpression"], "cron(0 2 * * ? *)")
        self.assertEqual(rule["Description"], "clean up")
        self.assertEqual(rule["EventBusName"], "default")
        self.assertEqual(rule["Arn"], arn)

        self.client.disable_rule(Name="nightly")
        self.assertEqual(self.client.describe_rule(Name="nightly")["State"], "DISABLED")
        self.client.enable_rule(Name="nightly")
        self.assertEqual(self.client.describe_rule(Name="nightly")["State"], "ENABLED")
        # PutRule replaces the rule: what it leaves out is not kept, and a rule is ENABLED unless
        # it says otherwise (AWS's PutRule reference).
        self.client.put_rule(Name="nightly", ScheduleExpression="rate(1 day)", State="DISABLED")
        self.client.put_rule(Name="nightly", ScheduleExpression="rate(1 day)")
        rule = self.client.describe_rule(Name="nightly")
        self.assertEqual((rule["State"], rule["ScheduleExpression"]), ("ENABLED", "rate(1 day)"))
        self.assertNotIn("Description", rule)
        self.client.delete_rule(Name="nightly")
        self.assert_error("ResourceNotFoundException", "Rule nightly does not exist on EventBus default.",
                          self.client.describe_rule, Name="nightly")
        self.client.delete_rule(Name="nightly")  # a missing rule: nothing to do, no error

    def test_list_rules_by_prefix_and_page(self):
        for name in ("report-a", "report-b", "report-c", "other"):
            self.client.put_rule(Name=name, ScheduleExpression="rate(5 minutes)")
        first = self.client.list_rules(NamePrefix="report-", Limit=2)
        self.assertEqual([r["Name"] for r in first["Rules"]], ["report-a", "report-b"])
        rest = self.client.list_rules(NamePrefix="report-", Limit=2, NextToken=first["NextToken"])
        self.assertEqual([r["Name"] for r in rest["Rules"]], ["report-c"])
        self.assertNotIn("NextToken", rest)
        self.assertIn("other", [r["Name"] for r in self.client.list_rules()["Rules"]])

    def test_targets(self):
        self.client.put_rule(Name="targets", ScheduleExpression="rate(1 hour)")
        answer = self.client.put_targets(Rule="targets", Targets=[
            {"Id": "fn", "Arn": FUNCTION_ARN + "worker"},
            {"Id": "fn-live", "Arn": FUNCTION_ARN + "worker:live", "Input": '{"job": "reindex"}'},
            {"Id": "queue", "Arn": "arn:aws:sqs:us-east-1:000000000000:jobs"}])
        self.assertEqual(answer["FailedEntryCount"], 1)
        self.assertEqual(answer["FailedEntries"][0]["TargetId"], "queue")
        targets = self.client.list_targets_by_rule(Rule="targets")["Targets"]
        self.assertEqual([t["Id"] for t in targets], ["fn", "fn-live"])
        self.assertEqual(targets[1]["Input"], '{"job": "reindex"}')
        self.assertNotIn("Input", targets[0])
        self.assertEqual(self.client.list_rule_names_by_target(TargetArn=FUNCTION_ARN + "worker")["RuleNames"],
                         ["targets"])

        self.assert_error("ValidationException", "Rule can't be deleted since it has targets.",
                          self.client.delete_rule, Name="targets")
        self.assert_error("LimitExceededException", "exceeds the maximum number allowed",
                          self.client.put_targets, Rule="targets",
                          Targets=[{"Id": "t%d" % i, "Arn": FUNCTION_ARN + "w%d" % i} for i in range(4)])
        self.assertEqual(len(self.client.list_targets_by_rule(Rule="targets")["Targets"]), 2)
        self.assertEqual(self.client.remove_targets(Rule="targets", Ids=["fn"])["FailedEntryCount"], 0)
        self.assert_error("ValidationException", "Rule can't be deleted since it has targets.",
                          self.client.delete_rule, Name="targets", Force=True)
        self.client.remove_targets(Rule="targets", Ids=["fn-live"])
        self.client.delete_rule(Name="targets")
        self.assertEqual(self.client.list_rule_names_by_target(TargetArn=FUNCTION_ARN + "worker")["RuleNames"], [])
        self.assert_error("ResourceNotFoundException", "Rule missing does not exist",
                          self.client.put_targets, Rule="missing", Targets=[{"Id": "a", "Arn": FUNCTION_ARN + "a"}])

    def test_bad_input_in_awss_words(self):
        self.assert_error("ValidationException", "Parameter ScheduleExpression is not valid.",
                          self.client.put_rule, Name="bad", ScheduleExpression="rate(1 minutes)")
        self.assert_error("ValidationException", "Exactly one of Day-of-month and Day-of-week",
                          self.client.put_rule, Name="bad", ScheduleExpression="cron(0 12 * * * *)")
        self.assert_error("ValidationException", "regular expression pattern",
                          self.client.put_rule, Name="bad name", ScheduleExpression="rate(5 minutes)")
        self.assert_error("ValidationException", "EventPattern is not supported here",
                          self.client.put_rule, Name="pattern", EventPattern='{"source": ["aws.ec2"]}')
        self.assert_error("ResourceNotFoundException", "Event bus orders does not exist.",
                          self.client.put_rule, Name="bus", ScheduleExpression="rate(5 minutes)",
                          EventBusName="orders")
        self.assert_error("ValidationException", "at 'state'",
                          self.client.put_rule, Name="state", ScheduleExpression="rate(5 minutes)", State="PAUSED")

    def test_the_permission_a_rule_needs(self):
        self.lambda_client.create_function(FunctionName="scheduled", Runtime=python_runtime(), Role=ROLE,
                                           Handler="app.handler", Code={"ZipFile": CODE})
        arn = self.client.put_rule(Name="every-5", ScheduleExpression="rate(5 minutes)")["RuleArn"]
        self.lambda_client.add_permission(FunctionName="scheduled", StatementId="events-every-5",
                                          Action="lambda:InvokeFunction", Principal="events.amazonaws.com",
                                          SourceArn=arn)
        policy = json.loads(self.lambda_client.get_policy(FunctionName="scheduled")["Policy"])
        statement = policy["Statement"][0]
        self.assertEqual(statement["Principal"], {"Service": "events.amazonaws.com"})
        self.assertEqual(statement["Condition"], {"ArnLike": {"AWS:SourceArn": arn}})
        self.client.put_targets(Rule="every-5", Targets=[{"Id": "1", "Arn": FUNCTION_ARN + "scheduled"}])

    def test_awscli_events(self):
        arn = self.aws_json("put-rule", "--name", "cli-rule", "--schedule-expression", "cron(30 6 ? * MON-FRI *)",
                            service="events")["RuleArn"]
        self.assertEqual(arn, RULE_ARN + "cli-rule")
        self.assertEqual(self.aws_json("describe-rule", "--name", "cli-rule", service="events")["State"], "ENABLED")
        answer = self.aws_json("put-targets", "--rule", "cli-rule", "--targets",
                               "Id=1,Arn=%scli-fn" % FUNCTION_ARN, service="events")
        self.assertEqual(answer["FailedEntryCount"], 0)
        self.assertEqual(self.aws_json("list-targets-by-rule", "--rule", "cli-rule", service="events")["Targets"],
                         [{"Id": "1", "Arn": FUNCTION_ARN + "cli-fn"}])
        self.aws("disable-rule", "--name", "cli-rule", service="events")
        names = [r["Name"] for r in self.aws_json("list-rules", "--name-prefix", "cli-", service="events")["Rules"]]
        self.assertEqual(names, ["cli-rule"])
        refused = self.aws("put-rule", "--name", "cli-bad", "--schedule-expression", "rate(5 minute)",
                           service="events", check=False)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("ValidationException", refused.stderr)
        self.aws("remove-targets", "--rule", "cli-rule", "--ids", "1", service="events")
        self.aws("delete-rule", "--name", "cli-rule", service="events")
        self.assertEqual(self.aws_json("list-rules", "--name-prefix", "cli-", service="events")["Rules"], [])


@api_only
class EventsBrowserAttack(EngineTestCase):
    """A web page cannot plant a rule: the JSON protocol route sits behind the same guard."""

    def test_cross_origin_put_rule_is_refused(self):
        http = RawHttp(self.engine.url)
        body = json.dumps({"Name": "planted", "ScheduleExpression": "rate(1 minute)"}).encode()
        status, headers, _ = http.send("POST", "/", body, {
            "Content-Type": "text/plain", "X-Amz-Target": "AWSEvents.PutRule",
            "Origin": "http://evil.example", "Authorization": ANY_KEY})
        self.assertEqual(status, 403)
        self.assertEqual(headers.get("x-amzn-ErrorType"), "AccessDeniedException")
        names = [r["Name"] for r in self.boto3_client(service="events").list_rules()["Rules"]]
        self.assertNotIn("planted", names)

    @unittest.skipIf(AUTH == "verify", "sends a made-up signature, which only any-key mode takes")
    def test_unknown_targets_are_named(self):
        http = RawHttp(self.engine.url)
        status, headers, body = http.send("POST", "/", b"{}", {
            "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSEvents.PutEvents",
            "Authorization": ANY_KEY})
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["__type"], "UnknownOperationException")


if __name__ == "__main__":
    unittest.main()
