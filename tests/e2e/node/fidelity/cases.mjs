// What a handler can answer, one case per name: each runs under our Node runtime and under AWS's
// aws-lambda-ric on `provided`, and the two answers must match (test_node_clients.mjs).
class ValidationError extends Error {
  constructor(message) {
    super(message);
    this.name = "ValidationError";
  }
}

const circular = () => {
  const value = { name: "loop" };
  value.self = value;
  return value;
};

export const cases = {
  "object": async () => ({ a: 1, nested: [1, "two", null, true], empty: {} }),
  "undefined": async () => undefined,
  "null": async () => null,
  "string": async () => "hello",
  "number": async () => 42.5,
  "NaN and Infinity": async () => ({ nan: NaN, inf: Infinity, list: [NaN, -Infinity] }),
  "Date": async () => ({ at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }),
  "Buffer": async () => Buffer.from("hi"),
  "Uint8Array": async () => new Uint8Array([1, 2]),
  "Map and Set": async () => ({ map: new Map([[1, 2]]), set: new Set([1]) }),
  "toJSON": async () => ({ nested: { toJSON: () => "custom" } }),
  "non-ASCII text": async () => ({ text: "Zo\u00eb \u{1F600} \u2028 \u0001" }),
  "lone surrogate": async () => ({ text: "\ud800" }),
  "dropped members": async () => ({ f() {}, s: Symbol("x"), u: undefined, kept: 1 }),
  "BigInt": async () => ({ n: 1n }),
  "circular": async () => circular(),
  "callback": (event, context, callback) => callback(null, { via: "callback" }),
  "callback with no result": (event, context, callback) => callback(),
  "callback error": (event, context, callback) => callback(new RangeError("out of range")),
  "callback string error": (event, context, callback) => callback("plain words"),
  "context.succeed": (event, context) => context.succeed({ via: "succeed" }),
  "context.fail": (event, context) => context.fail(new Error("failed")),
  "context.fail without an error": (event, context) => context.fail(),
  "context.done": (event, context) => context.done(null, "done"),
  "thrown Error": async () => { throw new TypeError("bad input"); },
  "thrown subclass": async () => { throw new ValidationError("name is required"); },
  "thrown with fields": async () => { throw Object.assign(new Error("coded"), { code: "E42" }); },
  "thrown string": async () => { throw "plain"; },
  "thrown number": async () => { throw 42; },
  "thrown object": async () => { throw { code: 42 }; },
  "rejected with null": async () => Promise.reject(null),
  "rejected with undefined": async () => Promise.reject(undefined),
  "sync throw": () => { throw new Error("sync"); },
  "sync return, no callback": () => ({ ignored: true }),
  "callback with BigInt": (event, context, callback) => callback(null, { n: 1n }),
  "context.succeed with BigInt": (event, context) => context.succeed({ n: 1n }),
  "callback without waiting": (event, context, callback) => {
    context.callbackWaitsForEmptyEventLoop = false;
    setTimeout(() => {}, 50);
    callback(null, "early");
  },
  "callback error with DEL": (event, context, callback) => callback(new Error("bad\x7Fbyte")),
  "uncaught exception": () => {
    setImmediate(() => { throw new Error("later"); });
    return new Promise(() => {});
  },
  "unhandled rejection": () => {
    Promise.reject(new Error("nobody waits"));
    return new Promise(() => {});
  },
};

export const handler = (event, context, callback) => cases[event.case](event, context, callback);
