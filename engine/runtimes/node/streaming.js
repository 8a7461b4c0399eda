// Response streaming for handlers wrapped in awslambda.streamifyResponse, as AWS's Node.js runtime
// does it: the handler writes to a stream whose bytes go to the Runtime API as a chunked
// POST .../response (Lambda-Runtime-Function-Response-Mode: streaming) while it runs. Loaded only
// by a function that streams.
'use strict';

const net = require('net');
const { Writable } = require('stream');

const PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DELIMITER = Buffer.alloc(8); // eight NUL bytes end an HttpResponseStream's metadata
const ERROR_TYPE = 'Lambda-Runtime-Function-Error-Type';
const ERROR_BODY = 'Lambda-Runtime-Function-Error-Body';

// awslambda.HttpResponseStream.from(stream, {statusCode, headers, cookies}): the metadata goes
// first, before the body, for a function URL to turn into its status and headers.
class HttpResponseStream {
  static from(stream, prelude) {
    stream.setContentType(PRELUDE_CONTENT_TYPE);
    const metadata = JSON.stringify(prelude);
    stream._onBeforeFirstWrite = (write) => {
      write(Buffer.from(metadata));
      write(DELIMITER);
    };
    return stream;
  }
}

// Reads the server's answer to the POST; resolves with its status line's code.
function awaitAnswer(socket) {
  return new Promise((resolve, reject) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      if (buffer.includes('\r\n\r\n')) resolve(Number(buffer.split(' ')[1]));
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(0));
  });
}

// The response stream of one invocation: { stream, fail(document), answered, started, abandon }.
function openResponseStream(apiAddress, host, port, requestId) {
  const socket = net.connect({ host, port, noDelay: true });
  socket.on('error', () => {}); // noticed by `answered`; a failed runtime connection ends the runtime anyway
  const answered = awaitAnswer(socket);
  let contentType = 'application/octet-stream';
  let headSent = false;
  const sendHead = () => {
    if (headSent) return;
    headSent = true;
    socket.write(`POST /2018-06-01/runtime/invocation/${requestId}/response HTTP/1.1\r\n` +
      `Host: ${apiAddress}\r\nLambda-Runtime-Function-Response-Mode: streaming\r\n` +
      `Content-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\n` +
      `Trailer: ${ERROR_TYPE}, ${ERROR_BODY}\r\n\r\n`);
  };
  const writeChunk = (bytes) => {
    sendHead();
    if (bytes.length === 0) return; // a zero-length chunk would end the body
    socket.write(`${bytes.length.toString(16)}\r\n`);
    socket.write(bytes);
    socket.write('\r\n');
  };
  let first = true;
  const stream = new Writable({
    write(chunk, encoding, callback) {
      if (first) {
        first = false;
        if (typeof stream._onBeforeFirstWrite === 'function') stream._onBeforeFirstWrite(writeChunk);
      }
      writeChunk(chunk);
      callback();
    },
    final(callback) {
      if (first && typeof stream._onBeforeFirstWrite === 'function') stream._onBeforeFirstWrite(writeChunk);
      sendHead();
      socket.write('0\r\n\r\n', callback);
    },
  });
  // As AWS's stream: strings and bytes as they are, anything else as its JSON.
  const write = stream.write.bind(stream);
  stream.write = (chunk, encoding, callback) => write(
    typeof chunk === 'string' || Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk),
    encoding, callback);
  stream.setContentType = (type) => {
    if (headSent) throw new Error('Cannot set content-type, too late.');
    contentType = type;
  };
  // An error after the stream began: the body ends with trailers naming it.
  const fail = (document) => {
    sendHead();
    const body = Buffer.from(JSON.stringify(document)).toString('base64');
    socket.write(`0\r\n${ERROR_TYPE}: ${document.errorType}\r\n${ERROR_BODY}: ${body}\r\n\r\n`);
  };
  return {
    stream, fail, answered: answered.finally(() => socket.end()),
    started: () => headSent,
    abandon: () => socket.destroy(), // nothing was sent: the failure is reported apart
  };
}

module.exports = { HttpResponseStream, openResponseStream, PRELUDE_CONTENT_TYPE };
