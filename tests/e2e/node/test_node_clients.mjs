// The JS SDK v3 (@aws-sdk/client-lambda, and client-sqs in AWS JSON 1.0) drives lambdesk-engine,
// and AWS's own Node runtime interface client (aws-lambda-ric, unmodified) runs as a `provided`
// bootstrap against our Runtime API.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync, cpSync, existsSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  LambdaClient, CreateFunctionCommand, InvokeCommand, GetFunctionCommand, DeleteFunctionCommand,
  ListFunctionsCommand, ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import {
  SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand,
  GetQueueAttributesCommand, DeleteQueueCommand, QueueDoesNotExist,
} from "@aws-sdk/client-sqs";

const here = dirname(fileURLToPath(import.meta.url));
const engineBinary = process.env.LAMBDESK_ENGINE;
let engine, client, sqs, dataDir, work;

function zipDir(dir) {
  const out = join(work, `${Math.random().toString(36).slice(2)}.zip`);
  execFileSync("zip", ["-qr", out, "."], { cwd: dir });
  return readFileSync(out);
}

function nodeRuntime() {
  return `nodejs${process.versions.node.split(".")[0]}.x`;
}

before(async () => {
  assert.ok(engineBinary && existsSync(engineBinary), `LAMBDESK_ENGINE missing: ${engineBinary}`);
  dataDir = mkdtempSync(join(tmpdir(), "lambdesk-node-e2e-"));
  work = mkdtempSync(join(tmpdir(), "lambdesk-node-work-"));
  const verify = process.env.LAMBDESK_E2E_AUTH === "verify";
  engine = spawn(engineBinary, ["--listen", "127.0.0.1:0", "--data-dir", dataDir, ...(verify ? ["--auth", "verify"] : [])],
                 { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("engine did not print its listening line")), 20000);
    createInterface({ input: engine.stdout }).once("line", (line) => {
      clearTimeout(timer);
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      match ? resolve(match[1]) : reject(new Error(`unexpected first line: ${line}`));
    });
  });
  // --auth verify: sign with the key pair the engine generated into its data dir.
  const generated = verify ? JSON.parse(readFileSync(join(dataDir, "api-credentials"), "utf8")) : null;
  const settings = {
    endpoint: url, region: "us-east-1", maxAttempts: 1,
    credentials: generated
      ? { accessKeyId: generated.AccessKeyId, secretAccessKey: generated.SecretAccessKey }
      : { accessKeyId: "AKIDLAMBDESKTEST", secretAccessKey: "lambdesk-test-secret" },
  };
  client = new LambdaClient(settings);
  sqs = new SQSClient(settings);
});

after(() => {
  engine?.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

test("JS SDK v3: create, invoke, get, list, delete", async () => {
  const dir = join(work, "sdk-fn");
  mkdirSync(dir);
  writeFileSync(join(dir, "index.mjs"), "export const handler = async (event, context) => ({ hello: event.name, fn: context.functionName });\n");
  const created = await client.send(new CreateFunctionCommand({
    FunctionName: "sdk-fn", Runtime: nodeRuntime(), Handler: "index.handler",
    Role: "arn:aws:iam::000000000000:role/x", Code: { ZipFile: zipDir(dir) },
  }));
  assert.equal(created.FunctionName, "sdk-fn");
  const invoked = await client.send(new InvokeCommand({ FunctionName: "sdk-fn", Payload: Buffer.from(JSON.stringify({ name: "node" })) }));
  assert.equal(invoked.StatusCode, 200);
  assert.deepEqual(JSON.parse(Buffer.from(invoked.Payload).toString()), { hello: "node", fn: "sdk-fn" });
  const got = await client.send(new GetFunctionCommand({ FunctionName: "sdk-fn" }));
  assert.equal(got.Configuration.Handler, "index.handler");
  const listed = await client.send(new ListFunctionsCommand({}));
  assert.ok(listed.Functions.some((f) => f.FunctionName === "sdk-fn"));
  await client.send(new DeleteFunctionCommand({ FunctionName: "sdk-fn" }));
  await assert.rejects(client.send(new GetFunctionCommand({ FunctionName: "sdk-fn" })), ResourceNotFoundException);
});

test("JS SDK v3 SQS (AWS JSON 1.0): send, receive, delete, and SQS's errors", async () => {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "node-jobs",
                                                              Attributes: { VisibilityTimeout: "20" } }));
  assert.match(QueueUrl, /\/000000000000\/node-jobs$/);
  const body = "héllo from node\r\n";
  const sent = await sqs.send(new SendMessageCommand({
    QueueUrl, MessageBody: body,
    MessageAttributes: { kind: { DataType: "String", StringValue: "greeting" },
                         raw: { DataType: "Binary", BinaryValue: new Uint8Array([0, 255]) } },
  }));
  const { Messages } = await sqs.send(new ReceiveMessageCommand({
    QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"],
  }));
  assert.equal(Messages.length, 1);
  assert.equal(Messages[0].MessageId, sent.MessageId);
  assert.equal(Messages[0].Body, body);
  assert.equal(Messages[0].MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
  assert.deepEqual([...Messages[0].MessageAttributes.raw.BinaryValue], [0, 255]);
  assert.equal(Messages[0].Attributes.ApproximateReceiveCount, "1");
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0].ReceiptHandle }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
  assert.equal(Attributes.ApproximateNumberOfMessagesNotVisible, "0");
  assert.equal(Attributes.VisibilityTimeout, "20");
  await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  await assert.rejects(sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] })),
                       (error) => error instanceof QueueDoesNotExist);
});

test("aws-lambda-ric runs unmodified as a provided bootstrap", async () => {
  const ric = join(here, "node_modules", "aws-lambda-ric");
  assert.ok(existsSync(join(ric, "dist", "index.mjs")), "aws-lambda-ric not installed (npm ci in tests/e2e/node)");
  const dir = join(work, "ric-fn");
  mkdirSync(join(dir, "node_modules", "aws-lambda-ric"), { recursive: true });
  for (const part of ["package.json", "bin", "dist"])
    cpSync(join(ric, part), join(dir, "node_modules", "aws-lambda-ric", part), { recursive: true });
  writeFileSync(join(dir, "index.mjs"),
    "export const handler = async (event, context) => { console.log('via ric'); return { ric: true, id: context.awsRequestId, got: event }; };\n");
  writeFileSync(join(dir, "bootstrap"),
    "#!/bin/sh\ncd \"$LAMBDA_TASK_ROOT\"\nexec node node_modules/aws-lambda-ric/bin/index.mjs index.handler\n");
  chmodSync(join(dir, "bootstrap"), 0o755);
  await client.send(new CreateFunctionCommand({
    FunctionName: "ric-fn", Runtime: "provided.al2023", Handler: "index.handler", Timeout: 30,
    Role: "arn:aws:iam::000000000000:role/x", Code: { ZipFile: zipDir(dir) },
  }));
  for (let i = 0; i < 2; i++) {
    const invoked = await client.send(new InvokeCommand({ FunctionName: "ric-fn", LogType: "Tail", Payload: Buffer.from(`{"i":${i}}`) }));
    const body = JSON.parse(Buffer.from(invoked.Payload).toString());
    assert.equal(invoked.FunctionError, undefined, JSON.stringify(body));
    assert.equal(body.ric, true);
    assert.deepEqual(body.got, { i });
    assert.equal(body.id, invoked.$metadata.requestId);
    assert.match(Buffer.from(invoked.LogResult, "base64").toString(), /via ric/);
  }
  const failing = join(work, "ric-err");
  cpSync(dir, failing, { recursive: true });
  writeFileSync(join(failing, "index.mjs"), "export const handler = async () => { throw new TypeError('ric says no'); };\n");
  await client.send(new CreateFunctionCommand({
    FunctionName: "ric-err", Runtime: "provided.al2023", Handler: "index.handler", Timeout: 30,
    Role: "arn:aws:iam::000000000000:role/x", Code: { ZipFile: zipDir(failing) },
  }));
  const failed = await client.send(new InvokeCommand({ FunctionName: "ric-err" }));
  assert.equal(failed.FunctionError, "Unhandled");
  assert.equal(JSON.parse(Buffer.from(failed.Payload).toString()).errorType, "TypeError");
});

// Every case of fidelity/cases.mjs under our nodejs runtime and under aws-lambda-ric (AWS's own
// runtime client) on provided.al2023: same FunctionError, same payload. Error traces differ below
// their first line (the runtimes' own frames), so only that line is compared.
test("the Node runtime answers every case as aws-lambda-ric does", async () => {
  const ric = join(here, "node_modules", "aws-lambda-ric");
  assert.ok(existsSync(join(ric, "dist", "index.mjs")), "aws-lambda-ric not installed (npm ci in tests/e2e/node)");
  const ours = join(work, "fidelity-ours");
  const reference = join(work, "fidelity-ric");
  for (const dir of [ours, reference]) {
    mkdirSync(dir, { recursive: true });
    cpSync(join(here, "fidelity", "cases.mjs"), join(dir, "index.mjs"));
  }
  mkdirSync(join(reference, "node_modules", "aws-lambda-ric"), { recursive: true });
  for (const part of ["package.json", "bin", "dist"])
    cpSync(join(ric, part), join(reference, "node_modules", "aws-lambda-ric", part), { recursive: true });
  writeFileSync(join(reference, "bootstrap"),
    "#!/bin/sh\ncd \"$LAMBDA_TASK_ROOT\"\nexec node node_modules/aws-lambda-ric/bin/index.mjs index.handler\n");
  chmodSync(join(reference, "bootstrap"), 0o755);
  for (const [name, runtime, dir] of [["fidelity-ours", nodeRuntime(), ours], ["fidelity-ric", "provided.al2023", reference]]) {
    await client.send(new CreateFunctionCommand({
      FunctionName: name, Runtime: runtime, Handler: "index.handler", Timeout: 30,
      Role: "arn:aws:iam::000000000000:role/x", Code: { ZipFile: zipDir(dir) },
    }));
  }
  const answer = async (functionName, name) => {
    const invoked = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify({ case: name })) }));
    const payload = Buffer.from(invoked.Payload).toString();
    if (!invoked.FunctionError) return { payload };
    const document = JSON.parse(payload);
    const trace = document.trace;
    return { error: invoked.FunctionError, keys: Object.keys(document), ...document,
             trace: Array.isArray(trace) ? trace.slice(0, 1) : trace };
  };
  const { cases } = await import(join(here, "fidelity", "cases.mjs"));
  const differences = [];
  for (const name of Object.keys(cases)) {
    const expected = await answer("fidelity-ric", name);
    const actual = await answer("fidelity-ours", name);
    try {
      assert.deepEqual(actual, expected);
    } catch {
      differences.push(`${name}:\n  aws-lambda-ric: ${JSON.stringify(expected)}\n  ours:           ${JSON.stringify(actual)}`);
    }
  }
  assert.equal(differences.length, 0, differences.join("\n"));
});
