// Lambdesk's Node.js runtime: the Lambda Runtime API (2018-06-01) loop around the function's
// handler, as AWS's Node.js runtime runs it. Started as `node /var/runtime/node/bootstrap.js`
// inside the sandbox, with the function's code at LAMBDA_TASK_ROOT (/var/task).
'use strict';

const fs = require('fs');
const path = require('path');
const util = require('util');

const API_PREFIX = '/2018-06-01/runtime/';
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT || '/var/task';

let currentRequestId; // printed as "undefined" outside an invocation, as Lambda does
let inFlight = null;   // { requestId, settled } of the invocation being handled

// ------------------------------------------------------------------ logging like Lambda

// Synchronous writes: a line printed before the response must reach the output pipe first.
function writeOut(text) {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += fs.writeSync(1, buffer, offset);
    } catch (error) {
      if (error.code !== 'EAGAIN') return; // nowhere to log to
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); // pipe full: let it drain
    }
  }
}

function logLine(level, args) {
  writeOut(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${util.format(...args)}\n`);
}

function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => logLine(level, args);
  }
  console.fatal = (...args) => logLine('FATAL', args);
}

// ------------------------------------------------------------------ Runtime API client

// HTTP/1.1 over a kept-alive socket from `net`: the `http` client costs several milliseconds of
// module loading on the first request, a noticeable share of a cold start.
const [apiHost, apiPort] = (() => {
  const address = process.env.AWS_LAMBDA_RUNTIME_API || '';
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon).replace(/^\[|\]$/g, ''), Number(address.slice(colon + 1))];
})();
let idleSocket = null;
const ignoreIdleError = () => {};

function parseResponse(buffer) {
  const end = buffer.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = buffer.toString('latin1', 0, end).split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let rest = buffer.subarray(end + 4);
  let body;
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length) return null;
    body = rest.subarray(0, length);
    rest = rest.subarray(length);
  } else if ((headers['transfer-encoding'] || '').toLowerCase() === 'chunked') {
    const parts = [];
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd < 0) return null;
      const size = parseInt(rest.toString('latin1', 0, lineEnd), 16);
      if (rest.length < lineEnd + 2 + size + 2) return null;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
      if (size === 0) break;
    }
    body = Buffer.concat(parts);
  } else {
    return null; // read to the end of the connection
  }
  return { status, headers, body: body.toString('utf8'), rest };
}

function apiRequest(method, route, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? Buffer.alloc(0) : Buffer.from(body, 'utf8');
    let head = `${method} ${API_PREFIX}${route} HTTP/1.1\r\nHost: ${process.env.AWS_LAMBDA_RUNTIME_API}\r\n`;
    for (const [name, value] of Object.entries(headers || {})) head += `${name}: ${value}\r\n`;
    head += `Content-Length: ${data.length}\r\n\r\n`;

    const reused = idleSocket && !idleSocket.destroyed ? idleSocket : null;
    if (reused) reused.removeListener('error', ignoreIdleError);
    idleSocket = null;
    const socket = reused || require('net').connect({ host: apiHost, port: apiPort, noDelay: true });
    let buffer = Buffer.alloc(0);
    let received = false;
    const cleanup = () => {
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.removeListener('error', onError);
      socket.removeListener('close', onEnd);
    };
    const onData = (chunk) => {
      received = true;
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      const response = parseResponse(buffer);
      if (!response) return;
      cleanup();
      if ((response.headers.connection || '').toLowerCase() === 'close' || idleSocket) {
        socket.destroy();
      } else {
        socket.unref(); // an idle connection must not keep the event loop (beforeExit) alive
        socket.on('error', ignoreIdleError); // a reset while idle is noticed on the next use
        idleSocket = socket;
      }
      resolve(response);
    };
    const onEnd = () => {
      cleanup();
      socket.destroy();
      if (reused && !received) {
        apiRequest(method, route, body, headers).then(resolve, reject); // server closed an idle connection
      } else if (received && buffer.indexOf('\r\n\r\n') >= 0) {
        const end = buffer.indexOf('\r\n\r\n');
        const response = parseResponse(Buffer.concat([buffer.subarray(0, end),
          Buffer.from(`\r\nContent-Length: ${buffer.length - end - 4}\r\n\r\n`), buffer.subarray(end + 4)]));
        if (response) resolve(response); else reject(new Error('malformed Runtime API response'));
      } else {
        reject(new Error('the Runtime API closed the connection'));
      }
    };
    const onError = (error) => {
      cleanup();
      socket.destroy();
      if (reused && !received) apiRequest(method, route, body, headers).then(resolve, reject);
      else reject(error);
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    socket.ref();
    socket.write(data.length ? Buffer.concat([Buffer.from(head, 'latin1'), data]) : head);
  });
}

// ------------------------------------------------------------------ errors

// A failure as AWS's Node runtime posts it: {errorType, errorMessage, trace}. Something thrown that
// is not an error is named after its type (throw "x" -> errorType "string"). DEL (0x7F) cannot go
// into the error-type header, so it is escaped everywhere.
const escapeDel = (text) => text.replace(/\x7F/g, '%7F');

function isErrorLike(value) {
  return Boolean(value && value.name && value.message && value.stack && typeof value.name === 'string'
    && typeof value.message === 'string' && typeof value.stack === 'string');
}

function errorDocument(error) {
  try {
    if (util.types.isNativeError(error) || isErrorLike(error)) {
      return {
        errorType: error.name == null ? undefined : escapeDel(error.name),
        errorMessage: error.message == null ? undefined : escapeDel(error.message),
        trace: escapeDel(error.stack).split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

// What fail() and a promise rejected with nothing report, as in Lambda.
const NO_ERROR_GIVEN = 'handled';

// The log line AWS's runtime writes for a failure: the error's own fields, its stack as lines.
function logError(label, failure) {
  let formatted;
  try {
    const error = failure instanceof Error ? failure : new Error(failure);
    try {
      formatted = JSON.stringify(error, (key, value) => {
        if (!(value instanceof Error)) return value;
        const fields = { errorType: value.name, errorMessage: value.message, code: value.code, ...value };
        if (typeof value.stack === 'string') fields.stack = value.stack.split('\n');
        return fields;
      });
    } catch {
      formatted = JSON.stringify(errorDocument(error));
    }
  } catch {
    formatted = JSON.stringify(errorDocument(failure)); // new Error() refused it (a Symbol, say)
  }
  logLine('ERROR', [label, `\t${formatted}`]);
}

async function postInitError(failure) {
  const document = errorDocument(failure);
  await apiRequest('POST', 'init/error', JSON.stringify(document), {
    'Lambda-Runtime-Function-Error-Type': document.errorType, 'Content-Type': 'application/json',
  });
}

// ------------------------------------------------------------------ loading the handler

// Runtime.ImportModuleError and its kin: error classes whose name is the error type, so that the
// stack's first line carries it too.
const faultClasses = new Map();
function fault(errorType, message) {
  let FaultClass = faultClasses.get(errorType);
  if (!FaultClass) {
    FaultClass = class extends Error {};
    FaultClass.prototype.name = errorType;
    faultClasses.set(errorType, FaultClass);
  }
  return new FaultClass(message);
}

function setModulePaths() {
  if (!process.env.NODE_PATH) {
    const major = process.versions.node.split('.')[0];
    process.env.NODE_PATH = [`/opt/nodejs/node${major}/node_modules`, '/opt/nodejs/node_modules',
      '/var/runtime/node_modules', '/var/runtime', TASK_ROOT].join(':');
    require('module').Module._initPaths();
  }
}

async function importModule(moduleRoot, moduleName) {
  const base = path.resolve(TASK_ROOT, moduleRoot, moduleName);
  const exists = (file) => { try { return fs.statSync(file).isFile(); } catch { return false; } };
  const importFile = (file) => import(require('url').pathToFileURL(file).href);
  if (exists(`${base}.mjs`)) return importFile(`${base}.mjs`);
  if (exists(`${base}.cjs`)) return require(`${base}.cjs`);
  if (exists(`${base}.js`)) {
    try {
      return require(`${base}.js`);
    } catch (error) {
      if (error && error.code === 'ERR_REQUIRE_ESM') return importFile(`${base}.js`); // "type": "module"
      throw error;
    }
  }
  // A directory with an index, or a package name: Node's own resolution from the task root.
  return require(require.resolve(moduleRoot ? `${moduleRoot}/${moduleName}` : moduleName,
    { paths: [TASK_ROOT, path.join(TASK_ROOT, moduleRoot)] }));
}

async function loadHandler(handlerString) {
  // "src/app.handler" -> root "src", module "app", handler path "handler" (dots nest further)
  const slash = handlerString.lastIndexOf('/');
  const moduleRoot = handlerString.slice(0, slash + 1);
  const rest = handlerString.slice(slash + 1);
  const dot = rest.indexOf('.');
  if (!handlerString || dot <= 0 || dot === rest.length - 1) {
    throw fault('Runtime.MalformedHandlerName', `Bad handler ${handlerString}`);
  }
  const moduleName = rest.slice(0, dot);
  let module;
  try {
    module = await importModule(moduleRoot, moduleName);
  } catch (error) {
    if (error && (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_MODULE_NOT_FOUND')) {
      throw fault('Runtime.ImportModuleError', `${error.name}: ${error.message}`);
    }
    if (error instanceof SyntaxError) {
      throw fault('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
    }
    throw error;
  }
  let handler = module;
  for (const part of rest.slice(dot + 1).split('.')) {
    handler = handler == null ? undefined : handler[part];
  }
  if (typeof handler !== 'function') {
    throw fault('Runtime.HandlerNotFound', `${rest} is undefined or not exported`);
  }
  return handler;
}

// ------------------------------------------------------------------ invocations

function parseHeaderJson(value) {
  if (!value) return undefined;
  try { return JSON.parse(value); } catch { /* base64, as the Invoke API carries it */ }
  try { return JSON.parse(Buffer.from(value, 'base64').toString('utf8')); } catch { return undefined; }
}

function makeContext(headers, settle) {
  const deadline = Number(headers['lambda-runtime-deadline-ms'] || 0);
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parseHeaderJson(headers['lambda-runtime-cognito-identity']),
    clientContext: parseHeaderJson(headers['lambda-runtime-client-context']),
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    // The pre-callback API, still honoured by Lambda.
    succeed: (result) => settle(null, result),
    fail: (error) => settle(error == null ? NO_ERROR_GIVEN : error),
    done: (error, result) => settle(error, result),
  };
  return context;
}

// What to do when the event loop runs dry during an invocation (Node's 'beforeExit').
let onEventLoopEmpty = null;
process.on('beforeExit', () => {
  const action = onEventLoopEmpty;
  onEventLoopEmpty = null;
  if (action) action();
});

// Resolves [error, result, afterEmptyEventLoop] once the handler has answered by promise, callback
// or context. As in Lambda, a plain return value is ignored, a handler that never answers gets null
// once the event loop is empty, and a callback's result (not its error) waits for that too unless
// context.callbackWaitsForEmptyEventLoop is turned off.
function runHandler(handler, event, headers) {
  return new Promise((resolve) => {
    let settled = false;
    let context;
    const settle = (error, result, viaCallback) => {
      if (settled) return;
      settled = true;
      if (viaCallback && error == null && context.callbackWaitsForEmptyEventLoop) {
        onEventLoopEmpty = () => resolve([error, result, true]);
      } else {
        onEventLoopEmpty = null;
        resolve([error, result]);
      }
    };
    context = makeContext(headers, settle);
    onEventLoopEmpty = () => settle(null, null);
    try {
      const returned = handler(event, context, (error, result) => settle(error, result, true));
      if (returned && typeof returned.then === 'function') {
        returned.then((result) => settle(null, result), (error) => settle(error == null ? NO_ERROR_GIVEN : error));
      }
    } catch (error) {
      settle(error);
    }
  });
}

async function invoke(handler, response) {
  const headers = response.headers;
  const requestId = headers['lambda-runtime-aws-request-id'];
  currentRequestId = requestId;
  inFlight = { requestId };
  if (headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = headers['lambda-runtime-trace-id'];
  else delete process.env._X_AMZN_TRACE_ID;

  if (handler[STREAMING] === 'response') return invokeStreaming(handler, response, requestId);
  let outcome;
  try {
    const event = response.body ? JSON.parse(response.body) : {};
    const [failure, result, afterEmptyEventLoop] = await runHandler(handler, event, headers);
    outcome = failure != null ? { failure } : serialise(result);
    // AWS's runtime stringifies a callback's result once the event loop is empty, where a
    // failure is uncaught: it is reported as such and ends the runtime.
    if (afterEmptyEventLoop && 'failure' in outcome) {
      onUncaught(outcome.failure, 'uncaughtException');
      return new Promise(() => {}); // no next event: the runtime exits once the failure is posted
    }
  } catch (failure) {
    outcome = { failure };
  }
  await finish(requestId, outcome);
}

// A handler wrapped in awslambda.streamifyResponse(handler(event, responseStream, context)): its
// bytes go to the Runtime API as it writes them. A failure before the first byte is reported as
// any failure is; after it, in the stream's trailers.
async function invokeStreaming(handler, response, requestId) {
  const { openResponseStream } = require('./streaming.js');
  let event;
  try {
    event = response.body ? JSON.parse(response.body) : {};
  } catch (failure) {
    return finish(requestId, { failure });
  }
  const { stream, fail, answered, started, abandon } = openResponseStream(
    process.env.AWS_LAMBDA_RUNTIME_API, apiHost, apiPort, requestId);
  try {
    await handler(event, stream, makeContext(response.headers, () => {}));
    if (!stream.writableEnded) stream.end();
    if (!stream.writableFinished) {
      await new Promise((resolve, reject) => { stream.once('finish', resolve); stream.once('error', reject); });
    }
  } catch (failure) {
    if (!started()) {
      abandon();
      return finish(requestId, { failure });
    }
    logError('Invoke Error', failure);
    fail(errorDocument(failure));
  }
  if (!inFlight || inFlight.requestId !== requestId) return; // an uncaught error answered it
  inFlight = null;
  await answered;
  currentRequestId = undefined;
}

// What cannot be stringified fails the invocation, in the words of AWS's runtime.
function serialise(result) {
  try {
    return { payload: JSON.stringify(result === undefined ? null : result) };
  } catch {
    return { failure: new Error('Unable to stringify response body') };
  }
}

// Posts the outcome ({payload} or {failure}) of the invocation in flight, logged under `label`.
async function finish(requestId, outcome, label = 'Invoke Error') {
  if (!inFlight || inFlight.requestId !== requestId) return; // already answered (uncaught error)
  inFlight = null;
  if ('failure' in outcome) {
    if (label) logError(label, outcome.failure);
    const document = errorDocument(outcome.failure);
    await apiRequest('POST', `invocation/${requestId}/error`, JSON.stringify(document), {
      'Lambda-Runtime-Function-Error-Type': document.errorType, 'Content-Type': 'application/json',
    });
  } else {
    await apiRequest('POST', `invocation/${requestId}/response`, outcome.payload);
  }
  currentRequestId = undefined;
}

// An error nobody caught ends the runtime after it is reported, as in Lambda: exit status 129, or
// 128 for a promise rejection nobody handled.
function onUncaught(error, origin) {
  const rejection = origin === 'unhandledRejection';
  const failure = rejection ? fault('Runtime.UnhandledPromiseRejection', error) : error;
  logError(rejection ? 'Unhandled Promise Rejection' : 'Uncaught Exception', failure);
  const report = inFlight ? finish(inFlight.requestId, { failure }, null) : postInitError(failure);
  report.catch(() => {}).finally(() => process.exit(rejection ? 128 : 129));
}

// The global AWS's Node.js runtime gives every function, before its module loads.
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
globalThis.awslambda = {
  streamifyResponse: (handler) => {
    handler[STREAMING] = 'response';
    return handler;
  },
  get HttpResponseStream() { return require('./streaming.js').HttpResponseStream; },
};

async function main() {
  patchConsole();
  setModulePaths();
  process.on('uncaughtException', (error) => onUncaught(error, 'uncaughtException'));
  process.on('unhandledRejection', (reason) => onUncaught(reason, 'unhandledRejection'));

  let handler;
  try {
    handler = await loadHandler(process.env._HANDLER || '');
  } catch (error) {
    // Uncaught in AWS's runtime too, which reports and exits alike.
    logError('Uncaught Exception', error);
    await postInitError(error);
    process.exit(129);
  }
  for (;;) {
    const next = await apiRequest('GET', 'invocation/next');
    if (next.status !== 200) {
      process.stderr.write(`Runtime API answered ${next.status} to invocation/next: ${next.body.slice(0, 200)}\n`);
      process.exit(1);
    }
    await invoke(handler, next);
  }
}

main().catch((error) => {
  process.stderr.write(`lambdesk node runtime: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
