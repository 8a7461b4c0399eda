# Lambdesk's Python runtime: the Lambda Runtime API (2018-06-01) loop around the function's
# handler, as AWS's Python runtime runs it.
#
# Started as `python3.N -S -u /var/runtime/python/bootstrap.py` inside the sandbox (the backends run
# it precompiled: bootstrap.python3.N.pyc next to it). Cold start is
# the point of this file: it imports only modules built into the interpreter (_socket, _json,
# time) and nothing that pulls in re, enum or the email package (http.client, urllib, json,
# logging, importlib), and talks HTTP/1.1 over one kept-alive socket itself.

import sys
import os
import time
import _socket
import _json
from itertools import chain as _chain, compress as _compress

_API_PREFIX = "/2018-06-01/runtime/"
_POLL_SECONDS = 600.0
_request_id = ""  # the invocation being handled, for log lines


class _Fault(Exception):
    def __init__(self, error_type, message, trace=None):
        Exception.__init__(self, message)
        self.error_type = error_type
        self.message = message
        self.trace = trace or []


# ---------------------------------------------------------------- JSON through the C accelerator

class _DecodeOptions:
    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name):
        return {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}[name]


_scanner = _json.make_scanner(_DecodeOptions())
_WHITESPACE = " \t\n\r"


def _loads(text):
    text = text.strip(_WHITESPACE)
    try:
        value, end = _scanner(text, 0)
    except StopIteration as stop:
        raise ValueError("Expecting value: char %d" % stop.value) from None
    if end != len(text):
        raise ValueError("Extra data: char %d" % end)
    return value


# Responses are encoded as AWS's runtime encodes them with simplejson (no C speedups here, and no
# import of json): Decimal as its own digits (a NaN Decimal as NaN), bytes as UTF-8 text, anything
# with an _asdict() method (namedtuples) as an object, NaN and the infinities allowed, and non-ASCII
# text escaped except on the runtimes that stopped doing so (AWS decides by AWS_EXECUTION_ENV).
_UNESCAPED_RUNTIMES = ("AWS_Lambda_python3.12", "AWS_Lambda_python3.13", "AWS_Lambda_python3.14",
                       "AWS_Lambda_python3.15")
_encode_string = (_json.encode_basestring if os.environ.get("AWS_EXECUTION_ENV") in _UNESCAPED_RUNTIMES
                  else _json.encode_basestring_ascii)


def _float_text(value, _repr=float.__repr__, _inf=float("inf")):
    if value != value:
        return "NaN"
    if value == _inf:
        return "Infinity"
    if value == -_inf:
        return "-Infinity"
    return _repr(value)


def _key_text(key):
    if isinstance(key, str):
        return key
    if isinstance(key, bytes):
        return key.decode("utf-8")
    if isinstance(key, float):
        return _float_text(key)
    if key is True or key is False or key is None:
        return "true" if key else "false" if key is False else "null"
    if isinstance(key, int):
        return int.__repr__(key)
    if _fast_encoder is not None:
        _fast_encoder({key: None}, 0)  # raises simplejson's words, naming the type as C does (tp_name)
    raise TypeError("keys must be str, int, float, bool or None, not %s" % type(key).__name__)


def _as_dict(value):
    method = getattr(value, "_asdict", None)
    if not callable(method):
        return None
    try:
        mapping = method()
    except TypeError:  # simplejson then treats the value as if it had no _asdict
        return None
    if not isinstance(mapping, dict):
        raise TypeError("_asdict() must return a dict, not %s" % type(mapping).__name__)
    return mapping


def _encode(value, out, markers):
    kind = type(value)
    if kind is str or isinstance(value, str):
        out.append(_encode_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int or isinstance(value, int):
        out.append(int.__repr__(value))
    elif kind is float or isinstance(value, float):
        out.append(_float_text(value))
    elif isinstance(value, bytes):
        out.append(_encode_string(value.decode("utf-8")))
    elif kind is list or isinstance(value, list):
        _encode_items(value, out, markers)
    else:
        mapping = _as_dict(value)
        if mapping is not None:
            _encode_members(mapping, out, markers)
        elif isinstance(value, tuple):
            _encode_items(value, out, markers)
        elif isinstance(value, dict):
            _encode_members(value, out, markers)
        elif _is_decimal(value):
            out.append("NaN" if value.is_nan() else str(value))
        else:
            raise TypeError("Object of type %s is not JSON serializable" % value.__class__.__name__)


def _is_decimal(value):
    decimal = sys.modules.get("decimal")  # boto3's number type; a result can hold one only once imported
    return decimal is not None and isinstance(value, decimal.Decimal)


def _enter(container, markers):
    marker = id(container)
    if marker in markers:
        raise ValueError("Circular reference detected")
    markers[marker] = container
    return marker


def _encode_items(items, out, markers):
    if not items:
        out.append("[]")
        return
    marker = _enter(items, markers)
    separator = "["
    for item in items:
        out.append(separator)
        separator = ", "
        _encode(item, out, markers)
    out.append("]")
    del markers[marker]


def _encode_members(members, out, markers):
    if not members:
        out.append("{}")
        return
    marker = _enter(members, markers)
    separator = "{"
    for key, item in members.items():
        out.append(separator)
        separator = ", "
        out.append(_encode_string(_key_text(key)))
        out.append(": ")
        _encode(item, out, markers)
    out.append("}")
    del markers[marker]


def _encode_exactly(value):
    out = []
    # Two frames per level of nesting: allow what the C encoders allow (about 1 000 levels).
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(limit * 2 + 100)
    try:
        _encode(value, out, {})
    finally:
        sys.setrecursionlimit(limit)
    return "".join(out)


# The C encoder is three times faster, and encodes exactly as above whatever is a tree of only these
# types (keys aside: it refuses those it would encode otherwise); anything else (tuples, subclasses,
# Decimal, bytes) takes the exact path.
_C_EXACT_TYPES = frozenset((str, int, float, bool, type(None), list, dict))
_is_list = frozenset((list,)).__contains__
_is_dict = frozenset((dict,)).__contains__
# A cycle never ends the scan: past these it takes the exact path, which reports it. No response
# Lambda accepts (6 MB) holds more items; deeper values exceed the C encoders' recursion limit.
_MAX_SCANNED_DEPTH = 2000
_MAX_SCANNED_ITEMS = 1000000


def _c_encodes_exactly(value):
    level = [value]
    scanned = 0
    for _ in range(_MAX_SCANNED_DEPTH):
        scanned += len(level)
        kinds = list(map(type, level))
        present = set(kinds)
        if scanned > _MAX_SCANNED_ITEMS or not _C_EXACT_TYPES.issuperset(present):
            return False
        if list not in present and dict not in present:
            return True
        if len(level) == 1:  # most levels of a small result
            level = list(value.values() if kinds[0] is dict else value)
        else:  # every item and value of the level's lists and dicts, gathered in C
            level = list(_chain(_chain.from_iterable(_compress(level, map(_is_list, kinds))),
                                _chain.from_iterable(map(dict.values, _compress(level, map(_is_dict, kinds))))))
        value = level[0] if level else None
    return False


def _c_encoder():
    try:
        return _json.make_encoder(None, None, _encode_string, None, ": ", ", ", False, False, True)
    except TypeError:  # a _json with another signature
        return None


_fast_encoder = _c_encoder()


def _dumps(value):
    if _fast_encoder is not None and _c_encodes_exactly(value):
        try:
            return "".join(_fast_encoder(value, 0))
        except TypeError:  # a key it refuses: the exact path says it as AWS does
            pass
    return _encode_exactly(value)


# ---------------------------------------------------------------- HTTP/1.1 to the Runtime API

class _ConnectionLost(Exception):
    pass


class _RuntimeApi:
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self._host_header = address
        self._address = (host.strip("[]"), int(port))
        self._family = _socket.AF_INET6 if ":" in self._address[0] else _socket.AF_INET
        self._sock = None
        self._buffer = b""

    def close(self):
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        self._sock = None
        self._buffer = b""

    def _connect(self):
        sock = _socket.socket(self._family, _socket.SOCK_STREAM)
        sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        # With a timeout Python polls before each recv and retries spurious EAGAINs (gVisor's
        # host-network sockets give those); the long poll itself may wait forever (see _recv).
        sock.settimeout(_POLL_SECONDS)
        sock.connect(self._address)
        self._sock = sock
        self._buffer = b""

    def request(self, method, path, body=b"", headers=""):
        head = ("%s %s%s HTTP/1.1\r\nHost: %s\r\n%sContent-Length: %d\r\n\r\n"
                % (method, _API_PREFIX, path, self._host_header, headers, len(body))).encode("latin-1")
        for attempt in (0, 1):
            fresh = self._sock is None
            if fresh:
                self._connect()
            try:
                if len(body) < 65536:
                    self._sock.sendall(head + body)
                else:
                    self._sock.sendall(head)
                    self._sock.sendall(body)
                return self._read_response()
            except (_ConnectionLost, OSError):
                # The server may close an idle kept-alive connection; retry once on a new one,
                # but only when nothing of the answer arrived.
                self.close()
                if fresh or attempt:
                    raise

    def _recv(self):
        while True:
            try:
                chunk = self._sock.recv(65536)
                break
            except _socket.timeout:
                continue  # an idle environment waits for its next event as long as it takes
        if not chunk:
            raise _ConnectionLost("connection closed by the Runtime API")
        return chunk

    def _read_response(self):
        buffer = self._buffer
        end = buffer.find(b"\r\n\r\n")
        while end < 0:
            buffer += self._recv()
            end = buffer.find(b"\r\n\r\n")
        lines = buffer[:end].decode("latin-1").split("\r\n")
        buffer = buffer[end + 4:]
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = headers.get("content-length")
        if length is not None:
            body, buffer = self._read_exact(buffer, int(length))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body, buffer = self._read_chunked(buffer)
        else:
            parts = [buffer]
            try:
                while True:
                    parts.append(self._recv())
            except _ConnectionLost:
                pass
            body, buffer = b"".join(parts), b""
            headers["connection"] = "close"
        self._buffer = buffer
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def _read_exact(self, buffer, length):
        if len(buffer) >= length:
            return buffer[:length], buffer[length:]
        body = bytearray(length)
        body[:len(buffer)] = buffer
        view = memoryview(body)
        got = len(buffer)
        while got < length:
            try:
                n = self._sock.recv_into(view[got:])
            except _socket.timeout:
                continue
            if not n:
                raise _ConnectionLost("connection closed by the Runtime API")
            got += n
        return bytes(body), b""

    def _read_chunked(self, buffer):
        parts = []
        while True:
            end = buffer.find(b"\r\n")
            while end < 0:
                buffer += self._recv()
                end = buffer.find(b"\r\n")
            size = int(buffer[:end].split(b";")[0], 16)
            chunk, buffer = self._read_exact(buffer[end + 2:], size + 2)
            if size == 0:
                return b"".join(parts), buffer
            parts.append(chunk[:size])


# ---------------------------------------------------------------- context and errors

class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __init__(self, identity=None):
        identity = identity or {}
        self.cognito_identity_id = identity.get("cognitoIdentityId")
        self.cognito_identity_pool_id = identity.get("cognitoIdentityPoolId")


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]

    def __init__(self, client):
        for name in self.__slots__:
            setattr(self, name, client.get(name))


class ClientContext:
    __slots__ = ["custom", "env", "client"]

    def __init__(self, context):
        self.custom = context.get("custom")
        self.env = context.get("env")
        client = context.get("client")
        self.client = Client(client) if isinstance(client, dict) else None


class LambdaContext:
    def __init__(self, request_id, deadline_ms, function_arn, client_context, identity):
        environ = os.environ
        self.aws_request_id = request_id
        self.log_group_name = environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = function_arn
        self.client_context = ClientContext(client_context) if isinstance(client_context, dict) else None
        self.identity = CognitoIdentity(identity if isinstance(identity, dict) else None)
        self._epoch_deadline_time_in_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(self._epoch_deadline_time_in_ms - int(round(time.time() * 1000)), 0)

    def log(self, message):
        sys.stdout.write(str(message))

    def __repr__(self):
        return ("LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
                "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,"
                "identity=%s])" % (self.aws_request_id, self.log_group_name, self.log_stream_name,
                                   self.function_name, self.memory_limit_in_mb, self.function_version,
                                   self.invoked_function_arn, self.client_context, self.identity))


def _header_json(value):
    if not value:
        return None
    try:
        return _loads(value)
    except ValueError:
        pass
    try:  # the Invoke API's X-Amz-Client-Context is base64 JSON
        import binascii
        return _loads(binascii.a2b_base64(value).decode("utf-8"))
    except Exception:
        return None


def _stack_trace(tb):
    import traceback
    frames = traceback.extract_tb(tb)
    while frames and frames[0].filename == _stack_trace.__code__.co_filename:
        frames.pop(0)  # the runtime's own frames, as AWS's runtime drops them
    return traceback.format_list(frames)


def _error_document(error_type, message, trace, request_id):
    return {"errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": trace}


def _log_error(document):
    lines = ["[ERROR] %s: %s" % (document["errorType"], document["errorMessage"])]
    if document["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(frame.rstrip("\n") for frame in document["stackTrace"])
    sys.stdout.write("\n".join(lines) + "\n")


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


# ---------------------------------------------------------------- logging, configured on first import

def _setup_logging(logging):
    class LambdaLoggerHandler(logging.Handler):
        def emit(self, record):
            try:
                sys.stdout.write(self.format(record) + "\n")
            except Exception:
                self.handleError(record)

    class LambdaLoggerFilter(logging.Filter):
        def filter(self, record):
            record.aws_request_id = _request_id
            return True

    formatter = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
                                  "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    handler.setFormatter(formatter)
    handler.addFilter(LambdaLoggerFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    if level:
        root.setLevel(level.upper())


class _AfterImport:
    """Runs `then(module)` the moment the function imports `name`, so that functions that never
    import it do not pay for it (logging's set-up, boto3's endpoints)."""

    def __init__(self, name, then):
        self.name, self.then = name, then

    def find_spec(self, name, path=None, target=None):
        if name != self.name:
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find else None
            if spec is not None and spec.loader is not None and not isinstance(spec.loader, type):
                original = spec.loader.exec_module

                def exec_module(module):
                    original(module)
                    self.then(module)

                spec.loader.exec_module = exec_module
                return spec
        return None


def _honour_endpoint_variables(session_module):
    """AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL for a botocore older than 1.31, which does
    not read them itself (Debian 12's): boto3.client("s3") then reaches the engine's folder buckets
    through AWS_ENDPOINT_URL_S3, as a current SDK would."""
    import botocore.config
    if "ignore_configured_endpoint_urls" in getattr(botocore.config.Config, "OPTION_DEFAULTS", {}):
        return
    original = session_module.Session.create_client

    def create_client(self, service_name, *args, **kwargs):
        if len(args) < 5 and kwargs.get("endpoint_url") is None:  # endpoint_url is the fifth
            variable = "AWS_ENDPOINT_URL_" + service_name.upper().replace("-", "_").replace(" ", "_")
            endpoint = os.environ.get(variable) or os.environ.get("AWS_ENDPOINT_URL")
            if endpoint:
                kwargs["endpoint_url"] = endpoint
        return original(self, service_name, *args, **kwargs)

    session_module.Session.create_client = create_client


_LoggingImportHook = _AfterImport("logging", lambda module: _setup_logging(module))


# ---------------------------------------------------------------- init and the loop

def _set_paths():
    task_root = os.environ.get("LAMBDA_TASK_ROOT", "/var/task")
    version = "python%d.%d" % sys.version_info[:2]
    sys.path[0:1] = [task_root, "/opt/python/lib/%s/site-packages" % version, "/opt/python"]
    # -S skipped the site module: add the interpreter's package dirs (boto3 from Debian lives
    # there, like the SDK in Lambda's runtime), without running their .pth files.
    for directory in ("/usr/local/lib/%s/dist-packages" % version, "/usr/lib/python3/dist-packages",
                      "/usr/lib/%s/dist-packages" % version, "%s/lib/%s/site-packages" % (sys.prefix, version)):
        if directory not in sys.path and os.path.isdir(directory):
            sys.path.append(directory)
    # Modules Lambda's runtime provides (snapshot_restore_py); last, so a vendored copy wins.
    sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))


def _load_handler(handler):
    try:
        module_name, function_name = handler.rsplit(".", 1)
    except ValueError as error:
        raise _Fault("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler, error))
    if module_name.split(".")[0] in sys.builtin_module_names:
        raise _Fault("Runtime.BuiltInModuleConflict", "Cannot use built-in module %s as a handler module" % module_name)
    import_name = module_name.replace("/", ".")
    try:
        __import__(import_name)
        module = sys.modules[import_name]
    except ImportError as error:
        raise _Fault("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, error))
    except SyntaxError as error:
        trace = ['  File "%s" Line %s\n    %s' % (error.filename, error.lineno, error.text)]
        raise _Fault("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, error), trace)
    function = getattr(module, function_name, None)
    if function is None:
        raise _Fault("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return function


def _invoke(api, function, headers, body):
    global _request_id
    request_id = headers.get("lambda-runtime-aws-request-id", "")
    _request_id = request_id
    trace_id = headers.get("lambda-runtime-trace-id")
    if trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    context = LambdaContext(request_id, int(headers.get("lambda-runtime-deadline-ms") or 0),
                            headers.get("lambda-runtime-invoked-function-arn"),
                            _header_json(headers.get("lambda-runtime-client-context")),
                            _header_json(headers.get("lambda-runtime-cognito-identity")))
    document = None
    try:
        try:
            event = _loads(body.decode("utf-8")) if body else {}
        except ValueError as error:
            raise _Fault("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % error)
        result = function(event, context)
        try:
            # bytes go out as they are, as AWS's runtime sends them (typed application/unknown)
            payload = result if isinstance(result, bytes) else _dumps(result).encode("utf-8")
        except Exception as error:
            raise _Fault("Runtime.MarshalError", "Unable to marshal response: %s" % error)
    except _Fault as fault:
        document = _error_document(fault.error_type, fault.message, fault.trace, request_id)
    except Exception as error:
        document = _error_document(type(error).__name__, str(error), _stack_trace(error.__traceback__), request_id)
    _flush()
    if document is None:
        api.request("POST", "invocation/%s/response" % request_id, payload,
                    "Content-Type: application/unknown\r\n" if isinstance(result, bytes) else "")
    else:
        _log_error(document)
        _flush()
        api.request("POST", "invocation/%s/error" % request_id, _dumps(document).encode("utf-8"),
                    "Lambda-Runtime-Function-Error-Type: %s\r\nContent-Type: application/json\r\n"
                    % document["errorType"])
    _request_id = ""


def _run_hooks(api, phase, path):
    try:
        _snapshot_hooks.run(phase)
    except Exception as error:
        document = _error_document(type(error).__name__, str(error), _stack_trace(error.__traceback__), "")
        _log_error(document)
        _flush()
        api.request("POST", path, _dumps(document).encode("utf-8"),
                    "Lambda-Runtime-Function-Error-Type: %s\r\nContent-Type: application/json\r\n"
                    % document["errorType"])
        sys.exit(64 if phase == "before" else 65)


def _snapshot_and_restore(api):
    """SnapStart: the snapshot is taken while restore/next is pending, and it returns in every
    environment restored from it (at once where none was taken)."""
    _run_hooks(api, "before", "init/error")
    _flush()
    status, _, body = api.request("GET", "restore/next")
    if status != 200:
        sys.stderr.write("Runtime API answered %d to restore/next: %s\n" % (status, body[:200]))
        sys.exit(1)
    # Restored environments must not share the random stream the snapshot froze, unless the
    # function seeded it itself.
    _snapshot_hooks.reseed()
    _run_hooks(api, "after", "restore/error")


class _SnapshotHooks:
    """The runtime's side of snapshot_restore_py, and what it owns that a restore must renew."""

    def __init__(self):
        self._seeded_explicitly = False

    def watch_random(self):
        import random
        original = random.seed

        def seed(a=None, version=2):
            self._seeded_explicitly = a is not None
            original(a, version)

        random.seed = seed
        self._reseed_random = lambda: original(None)

    def reseed(self):
        if not self._seeded_explicitly and hasattr(self, "_reseed_random"):
            self._reseed_random()

    def run(self, phase):
        registry = sys.modules.get("snapshot_restore_py")
        if registry is None:
            return  # no function code registered anything
        if phase == "before":
            hooks = registry.get_before_snapshot()
            while hooks:
                func, args, kwargs = hooks.pop()  # reverse order of registration
                func(*args, **kwargs)
        else:
            for func, args, kwargs in registry.get_after_restore():
                func(*args, **kwargs)


_snapshot_hooks = _SnapshotHooks()


def main():
    address = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not address:
        sys.stderr.write("AWS_LAMBDA_RUNTIME_API is not set\n")
        sys.exit(1)
    api = _RuntimeApi(address)
    _set_paths()
    sys.meta_path.insert(0, _LoggingImportHook)
    sys.meta_path.insert(0, _AfterImport("botocore.session", _honour_endpoint_variables))

    if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
        _snapshot_hooks.watch_random()
    try:
        function = _load_handler(os.environ.get("_HANDLER", ""))
        document = None
    except _Fault as fault:
        document = _error_document(fault.error_type, fault.message, fault.trace, "")
    except Exception as error:
        document = _error_document(type(error).__name__, str(error), _stack_trace(error.__traceback__), "")
    if document is not None:
        _log_error(document)
        _flush()
        api.request("POST", "init/error", _dumps(document).encode("utf-8"),
                    "Lambda-Runtime-Function-Error-Type: %s\r\nContent-Type: application/json\r\n"
                    % document["errorType"])
        sys.exit(1)
    if "logging" in sys.modules and _LoggingImportHook in sys.meta_path:
        _setup_logging(sys.modules["logging"])  # imported before the hook could see it
    if os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") == "snap-start":
        _snapshot_and_restore(api)

    while True:
        _flush()
        status, headers, body = api.request("GET", "invocation/next")
        if status != 200:
            sys.stderr.write("Runtime API answered %d to invocation/next: %s\n" % (status, body[:200]))
            sys.exit(1)
        _invoke(api, function, headers, body)


if __name__ == "__main__":
    main()
