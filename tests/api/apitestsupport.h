#pragma once
// Shared by the API tests: an Engine on a temp data dir, an ApiServer on 127.0.0.1 port 0, an
// httplib::Client pointed at it, and small real Python functions zipped in memory (libzip).

#include "lambdesk/engine/apiserver.h"
#include "anykeyauth.h"
#include "lambdesk/engine/engine.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <string>

namespace lambdesk::engine::testing {

using nlohmann::json;

inline constexpr const char *kFunctionsUri = "/2015-03-31/functions";

// Echoes the event and context facts; {"fail": true} raises, {"sleep": s} sleeps.
inline constexpr const char *kEchoHandler = R"PY(import json
import time

def handler(event, context):
    print("hello from handler")
    if isinstance(event, dict) and event.get("fail"):
        raise ValueError("boom")
    if isinstance(event, dict) and event.get("sleep"):
        time.sleep(event["sleep"])
    return {"echo": event, "requestId": context.aws_request_id,
            "version": context.function_version}
)PY";

// A zip archive (in memory) holding `files` (path -> content).
inline std::string makeZip(const std::map<std::string, std::string> &files)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    EXPECT_NE(buffer, nullptr);
    zip_source_keep(buffer); // survive zip_close so we can read the bytes back
    zip_t *archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
    EXPECT_NE(archive, nullptr);
    for (const auto &[path, content] : files) {
        zip_source_t *file = zip_source_buffer(archive, content.data(), content.size(), 0);
        EXPECT_GE(zip_file_add(archive, path.c_str(), file, ZIP_FL_OVERWRITE), 0);
    }
    EXPECT_EQ(zip_close(archive), 0);
    std::string bytes;
    if (zip_source_open(buffer) == 0) {
        zip_source_seek(buffer, 0, SEEK_END);
        bytes.resize(static_cast<std::size_t>(zip_source_tell(buffer)));
        zip_source_seek(buffer, 0, SEEK_SET);
        zip_source_read(buffer, bytes.data(), bytes.size());
        zip_source_close(buffer);
    }
    zip_source_free(buffer);
    return bytes;
}

// path -> content of every file in a zip archive given as bytes.
inline std::map<std::string, std::string> readZip(const std::string &bytes)
{
    std::map<std::string, std::string> files;
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_t *archive = source ? zip_open_from_source(source, ZIP_RDONLY, &error) : nullptr;
    if (!archive) {
        if (source)
            zip_source_free(source);
        return files;
    }
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        zip_stat_t stat;
        if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &stat) != 0)
            continue;
        std::string content(static_cast<std::size_t>(stat.size), '\0');
        if (zip_file_t *file = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0)) {
            zip_fread(file, content.data(), content.size());
            zip_fclose(file);
        }
        files[stat.name] = content;
    }
    zip_close(archive); // also frees the source
    return files;
}

inline std::string base64(const std::string &bytes)
{
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned n = (unsigned(static_cast<unsigned char>(bytes[i])) << 16)
            | (unsigned(static_cast<unsigned char>(bytes[i + 1])) << 8)
            | unsigned(static_cast<unsigned char>(bytes[i + 2]));
        out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63],
                kAlphabet[n & 63]};
    }
    if (i + 1 == bytes.size()) {
        const unsigned n = unsigned(static_cast<unsigned char>(bytes[i])) << 16;
        out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const unsigned n = (unsigned(static_cast<unsigned char>(bytes[i])) << 16)
            | (unsigned(static_cast<unsigned char>(bytes[i + 1])) << 8);
        out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
    }
    return out;
}

inline std::string unbase64(const std::string &text)
{
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const char *at = c ? std::strchr(alphabet, c) : nullptr;
        if (!at)
            continue;
        buffer = (buffer << 6) | unsigned(at - alphabet);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xff);
        }
    }
    return out;
}

inline bool isUuid(const std::string &text)
{
    static const std::regex pattern(
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    return std::regex_match(text, pattern);
}

inline json parseBody(const httplib::Result &res)
{
    if (!res)
        return json();
    return json::parse(res->body, nullptr, false);
}

// Status, x-amzn-ErrorType, x-amzn-RequestId and the {"Type", message} body of a Lambda error.
inline void expectLambdaError(const httplib::Result &res, int status, const std::string &type)
{
    ASSERT_TRUE(res) << "no response: " << httplib::to_string(res.error());
    EXPECT_EQ(res->status, status) << res->body;
    EXPECT_EQ(res->get_header_value("x-amzn-ErrorType"), type) << res->body;
    EXPECT_TRUE(isUuid(res->get_header_value("x-amzn-RequestId")));
    const json body = json::parse(res->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << res->body;
    EXPECT_EQ(body.value("Type", ""), status >= 500 ? "Service" : "User") << res->body;
    const std::string message = body.contains("message") ? body.value("message", "")
                                                         : body.value("Message", "");
    EXPECT_FALSE(message.empty()) << res->body;
}

class ApiTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        char pattern[] = "/tmp/lambdesk-api-test-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        m_dataDir = pattern;
        EngineOptions options;
        options.dataDir = m_dataDir;
        // These tests are about the HTTP surface; the process sandbox starts fastest everywhere.
        options.defaultSandbox = "process";
        auto engine = Engine::open(options);
        ASSERT_TRUE(engine.ok()) << engine.error().message;
        m_engine = std::move(*engine);
        m_server = std::make_unique<ApiServer>(*m_engine);
        auto port = m_server->start("127.0.0.1", 0);
        ASSERT_TRUE(port.ok()) << port.error().message;
        m_port = *port;
        m_client = std::make_unique<httplib::Client>("127.0.0.1", m_port);
        signWithAnyKey(*m_client);
        m_client->set_read_timeout(120, 0);
        m_client->set_write_timeout(60, 0);
    }

    void TearDown() override
    {
        m_client.reset();
        m_server.reset();
        m_engine.reset();
        std::error_code ignored;
        std::filesystem::remove_all(m_dataDir, ignored);
    }

    // CreateFunction with a python3.11 echo handler; `extra` members override the defaults.
    httplib::Result createFunction(const std::string &name, const json &extra = json::object(),
                                   const std::string &code = kEchoHandler)
    {
        json body = {
            {"FunctionName", name},
            {"Runtime", "python3.11"},
            {"Role", "arn:aws:iam::000000000000:role/lambda-role"},
            {"Handler", "lambda_function.handler"},
            {"Code", {{"ZipFile", base64(makeZip({{"lambda_function.py", code}}))}}},
        };
        body.update(extra);
        return m_client->Post(kFunctionsUri, body.dump(), "application/json");
    }

    // Creates `name` and fails the test if that does not answer 201.
    json createOrFail(const std::string &name, const json &extra = json::object())
    {
        auto res = createFunction(name, extra);
        EXPECT_TRUE(res && res->status == 201)
            << (res ? res->body : httplib::to_string(res.error()));
        return parseBody(res);
    }

    httplib::Result invoke(const std::string &name, const std::string &payload,
                           const httplib::Headers &headers = {}, const std::string &query = {})
    {
        return m_client->Post(std::string(kFunctionsUri) + "/" + name + "/invocations" + query,
                              headers, payload, "application/json");
    }

    std::filesystem::path m_dataDir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<ApiServer> m_server;
    std::unique_ptr<httplib::Client> m_client;
    int m_port = 0;
};

} // namespace lambdesk::engine::testing
