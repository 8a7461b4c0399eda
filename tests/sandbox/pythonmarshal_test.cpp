// How our Python bootstrap encodes what a handler returns, case by case, against what AWS's runtime
// (awslambdaric's marshaller: simplejson without use_decimal, allow_nan, a Decimal as its own
// digits, ensure_ascii off from python3.12 on) sends for the same value. Each expected line was
// checked against that marshaller run on simplejson 3.18.3.

#include "sandboxfixture.h"

#include <span>

namespace lambdesk::test {
namespace {

constexpr const char *kCases = R"(import collections, datetime, decimal, enum
Point = collections.namedtuple("Point", "x y")
class Record:
    def _asdict(self):
        return {"via": "_asdict"}
class NotADict:
    def _asdict(self):
        return [1]
class Level(enum.IntEnum):
    HIGH = 3
loop = []
loop.append(loop)
def two_ways_back():
    node = {}
    node["parent"] = node
    node["root"] = node
    return node
def nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value
class Attributes:
    def __init__(self):
        self.price = decimal.Decimal("1.5")
shared = [1]
D = decimal.Decimal
CASES = {
    "decimal": lambda: {"price": D("1.10"), "big": D("12345678901234567890.123456789"), "exp": D("1E+2"),
                        "negative zero": D("-0")},
    "decimal specials": lambda: [D("NaN"), D("-NaN"), D("sNaN"), D("Infinity"), D("-Infinity")],
    "float specials": lambda: [float("nan"), float("inf"), float("-inf"), 1e300, 0.1, -0.0, 1.0],
    "text": lambda: {"name": "Zo\u00eb", "emoji": "\U0001F600", "control": "a\tb\n\x01", "separator": "\u2028"},
    "nested bytes": lambda: {"data": b"abc", b"key": "v", "utf8": "\u00e9".encode()},
    "bytes that are not UTF-8": lambda: {"data": b"\xff"},
    "bytes": lambda: b"\x00\x01raw",
    "namedtuple": lambda: {"p": Point(1, 2)},
    "_asdict": lambda: Record(),
    "_asdict not a dict": lambda: NotADict(),
    "tuple": lambda: (1, (2, 3)),
    "keys": lambda: {1: "a", 2.5: "b", True: "c", None: "d", "s": "e"},
    "tuple key": lambda: {(1, 2): "x"},
    "Decimal key": lambda: {D("1"): "x"},
    "set": lambda: {"s": {1}},
    "datetime": lambda: {"at": datetime.datetime(2026, 1, 2)},
    "circular": lambda: loop,
    "circular twice": two_ways_back,
    "shared list": lambda: {"a": shared, "b": shared},
    "object attributes": lambda: vars(Attributes()),
    "900 levels": lambda: nested(899),
    "1200 levels": lambda: nested(1199),
    "int enum": lambda: [Level.HIGH, True, None],
    "big int": lambda: 10 ** 30,
    "string": lambda: "hello",
    "None": lambda: None,
}
def handler(event, context):
    return CASES[event["case"]]()
)";

struct MarshalCase {
    const char *name;
    const char *body;         // what the runtime posts as the response (empty: an error instead)
    const char *errorMessage; // Runtime.MarshalError's message
};

// Runtimes before python3.12: non-ASCII text escaped.
const MarshalCase kEscapedCases[] = {
    {"decimal",
     R"({"price": 1.10, "big": 12345678901234567890.123456789, "exp": 1E+2, "negative zero": -0})",
     ""},
    {"decimal specials", "[NaN, NaN, NaN, Infinity, -Infinity]", ""},
    {"float specials", "[NaN, Infinity, -Infinity, 1e+300, 0.1, -0.0, 1.0]", ""},
    {"text",
     R"({"name": "Zo\u00eb", "emoji": "\ud83d\ude00", "control": "a\tb\n\u0001", "separator": "\u2028"})",
     ""},
    {"nested bytes", R"({"data": "abc", "key": "v", "utf8": "\u00e9"})", ""},
    {"bytes that are not UTF-8", "",
     "Unable to marshal response: 'utf-8' codec can't decode byte 0xff in position 0: invalid "
     "start byte"},
    {"namedtuple", R"({"p": {"x": 1, "y": 2}})", ""},
    {"_asdict", R"({"via": "_asdict"})", ""},
    {"_asdict not a dict", "",
     "Unable to marshal response: _asdict() must return a dict, not list"},
    {"tuple", "[1, [2, 3]]", ""},
    {"keys", R"({"1": "c", "2.5": "b", "null": "d", "s": "e"})", ""},
    {"tuple key", "",
     "Unable to marshal response: keys must be str, int, float, bool or None, not tuple"},
    {"Decimal key", "",
     "Unable to marshal response: keys must be str, int, float, bool or None, not decimal.Decimal"},
    {"set", "", "Unable to marshal response: Object of type set is not JSON serializable"},
    {"datetime", "",
     "Unable to marshal response: Object of type datetime is not JSON serializable"},
    {"circular", "", "Unable to marshal response: Circular reference detected"},
    {"circular twice", "", "Unable to marshal response: Circular reference detected"},
    {"shared list", R"({"a": [1], "b": [1]})", ""},
    {"object attributes", R"({"price": 1.5})", ""},
    {"1200 levels", "",
     "Unable to marshal response: maximum recursion depth exceeded while encoding a JSON object"},
    {"int enum", "[3, true, null]", ""},
    {"big int", "1000000000000000000000000000000", ""},
    {"string", R"("hello")", ""},
    {"None", "null", ""},
};

// python3.12 and later: text goes out as UTF-8 (control characters are still escaped).
const MarshalCase kUnescapedCases[] = {
    {"text",
     "{\"name\": \"Zo\u00eb\", \"emoji\": \"\U0001F600\", \"control\": \"a\\tb\\n\\u0001\", "
     "\"separator\": \"\u2028\"}",
     ""},
    {"nested bytes", "{\"data\": \"abc\", \"key\": \"v\", \"utf8\": \"\u00e9\"}", ""},
    {"decimal specials", "[NaN, NaN, NaN, Infinity, -Infinity]", ""},
};

class PythonMarshal : public SandboxTest {
protected:
    void expectCases(engine::Sandbox &sandbox, std::span<const MarshalCase> cases)
    {
        int n = 0;
        for (const auto &expected : cases) {
            SCOPED_TRACE(expected.name);
            const auto post = invoke("req-" + std::to_string(++n),
                                     nlohmann::json{{"case", expected.name}}.dump());
            ASSERT_TRUE(post) << drainOutput(sandbox);
            if (*expected.body) {
                EXPECT_EQ(post->kind, "response") << post->body;
                EXPECT_EQ(post->body, expected.body);
            } else {
                EXPECT_EQ(post->kind, "error");
                EXPECT_EQ(post->errorType, "Runtime.MarshalError");
                const auto document = parse(post->body);
                EXPECT_EQ(document.value("errorMessage", ""), expected.errorMessage) << post->body;
                EXPECT_EQ(document.value("stackTrace", nlohmann::json()), nlohmann::json::array());
            }
        }
    }

    static auto executionEnv(const std::string &runtime)
    {
        return [runtime](engine::EnvironmentSpec &spec) {
            spec.environment["AWS_EXECUTION_ENV"] = runtime;
        };
    }
};

TEST_P(PythonMarshal, EncodesResultsAsAwsDoesBeforePython312)
{
    m_code.write("app.py", kCases);
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler", executionEnv("AWS_Lambda_python3.11"));
    expectCases(*sandbox, kEscapedCases);

    const auto deep = invoke("req-deep", R"({"case": "900 levels"})");
    ASSERT_TRUE(deep);
    EXPECT_EQ(deep->body, std::string(900, '[') + std::string(900, ']'));

    // bytes are sent as they are, typed application/unknown
    const auto post = invoke("req-bytes", R"({"case": "bytes"})");
    ASSERT_TRUE(post);
    EXPECT_EQ(post->kind, "response");
    EXPECT_EQ(post->body, std::string("\0\1raw", 5));
    EXPECT_EQ(post->contentType, "application/unknown");
    EXPECT_TRUE(sandbox->isRunning());
}

TEST_P(PythonMarshal, SendsTextUnescapedFromPython312)
{
    m_code.write("app.py", kCases);
    LAMBDESK_START_OR_SKIP(sandbox, "python", "app.handler", executionEnv("AWS_Lambda_python3.12"));
    expectCases(*sandbox, kUnescapedCases);
}

LAMBDESK_SANDBOX_BACKENDS(PythonMarshal);

} // namespace
} // namespace lambdesk::test
