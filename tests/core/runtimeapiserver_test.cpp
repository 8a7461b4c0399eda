// The Runtime API server on its own: the SnapStart endpoints, and the socket options of a
// listener a sandbox opened and handed over.

#include "core/runtimeapiserver.h"
#include "triggers/s3objectroutes.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <mutex>
#include <vector>

using namespace lambdesk::engine;

namespace {

// Takes what a streamed response sends, as an invoker's stream would.
struct RecordingStream final : ResponseStream {
    void begin(const std::string &type) override
    {
        std::lock_guard lock(mutex);
        contentType = type;
    }
    bool write(const std::string &chunk) override
    {
        std::lock_guard lock(mutex);
        chunks.push_back(chunk);
        return true;
    }
    std::mutex mutex;
    std::string contentType;
    std::vector<std::string> chunks;
};

struct RecordingHandler final : RuntimeApiHandler {
    std::optional<RuntimeEvent> nextEvent() override { return std::nullopt; }
    bool postResponse(const std::string &requestId, std::string body) override
    {
        std::lock_guard lock(mutex);
        responses.emplace_back(requestId, std::move(body));
        return requestId == "current";
    }
    std::shared_ptr<ResponseStream> responseStream(const std::string &requestId) override
    {
        return requestId == "current" ? stream : nullptr;
    }
    bool postError(const std::string &, const std::string &, std::string) override { return false; }
    void postInitError(const std::string &errorType, std::string body) override
    {
        std::lock_guard lock(mutex);
        initErrors.emplace_back(errorType, std::move(body));
    }
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> initErrors;
    std::vector<std::pair<std::string, std::string>> responses;
    std::shared_ptr<RecordingStream> stream = std::make_shared<RecordingStream>();
};

// A listener as lambdesk-sandbox-init opens it: plain socket(), bind(), listen().
struct PlainListener {
    int fd = -1;
    int port = 0;
    PlainListener()
    {
        fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof address;
        if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr *>(&address), size) != 0 || ::listen(fd, 8) != 0
            || ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &size) != 0)
            return;
        port = ntohs(address.sin_port);
    }
};

class RuntimeApiServerTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_GT(listener.port, 0);
        ASSERT_TRUE(server.serveOn(listener.fd));
    }
    httplib::Client client() const
    {
        httplib::Client c("127.0.0.1", listener.port);
        c.set_connection_timeout(5);
        c.set_read_timeout(5);
        return c;
    }

    RecordingHandler handler;
    PlainListener listener;
    RuntimeApiServer server{handler};
};

TEST_F(RuntimeApiServerTest, AnAdoptedListenerHandsOutNoDelaySockets)
{
    // Accepted sockets inherit it: without, each response waits for a delayed ACK (~40 ms).
    int value = 0;
    socklen_t size = sizeof value;
    ASSERT_EQ(::getsockopt(listener.fd, IPPROTO_TCP, TCP_NODELAY, &value, &size), 0);
    EXPECT_EQ(value, 1);
}

TEST_F(RuntimeApiServerTest, RestoreNextAnswersWhereNoSnapshotIsTaken)
{
    auto res = client().Get("/2018-06-01/runtime/restore/next");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200);
}

TEST_F(RuntimeApiServerTest, RestoreErrorEndsTheEnvironmentLikeAFailedInit)
{
    const std::string document = R"({"errorType":"ValueError","errorMessage":"hook failed"})";
    auto res = client().Post("/2018-06-01/runtime/restore/error",
                             httplib::Headers{{"Lambda-Runtime-Function-Error-Type", "ValueError"}}, document,
                             "application/json");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 202);
    std::lock_guard lock(handler.mutex);
    ASSERT_EQ(handler.initErrors.size(), 1u);
    EXPECT_EQ(handler.initErrors[0].first, "ValueError");
    EXPECT_EQ(handler.initErrors[0].second, document);
}

} // namespace

// A streaming runtime (Node's awslambda.streamifyResponse) posts its response chunked; each chunk
// reaches the invoker's stream as it arrives, and the response ends the invocation.
TEST_F(RuntimeApiServerTest, AStreamedResponseReachesTheStreamChunkByChunk)
{
    auto c = client();
    const std::vector<std::string> parts = {"first ", "second ", "third"};
    std::size_t next = 0;
    const auto result = c.Post(
        "/2018-06-01/runtime/invocation/current/response",
        {{"Lambda-Runtime-Function-Response-Mode", "streaming"}},
        [&](std::size_t, httplib::DataSink &sink) {
            if (next < parts.size())
                sink.write(parts[next].data(), parts[next].size());
            if (++next >= parts.size())
                sink.done();
            return true;
        },
        "text/plain");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 202);
    std::lock_guard lock(handler.mutex);
    EXPECT_EQ(handler.stream->contentType, "text/plain");
    std::string streamed;
    for (const auto &chunk : handler.stream->chunks)
        streamed += chunk;
    EXPECT_EQ(streamed, "first second third");
    ASSERT_EQ(handler.responses.size(), 1u);
    EXPECT_EQ(handler.responses[0], std::make_pair(std::string("current"), std::string()));
}

// Without a stream to take it (the REST API's Invoke), a streamed response is gathered whole.
TEST_F(RuntimeApiServerTest, AStreamedResponseNobodyStreamsIsGatheredIntoOneBody)
{
    handler.stream = nullptr;
    auto c = client();
    const auto result = c.Post("/2018-06-01/runtime/invocation/current/response",
                               {{"Lambda-Runtime-Function-Response-Mode", "streaming"}},
                               std::string("whole body"), "text/plain");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 202);
    std::lock_guard lock(handler.mutex);
    ASSERT_EQ(handler.responses.size(), 1u);
    EXPECT_EQ(handler.responses[0].second, "whole body");
}

namespace {

struct NoBuckets final : lambdesk::engine::triggers::BucketDirectory {
    std::optional<std::filesystem::path> folderOf(const std::string &) override
    {
        return std::nullopt;
    }
    std::vector<FolderBucket> buckets() override { return {}; }
};

// An SDK keeps its connections open after each answer unless told to close them; the object API
// tells it, or the few threads of the Runtime API would all wait on idle connections, and the
// runtime on them.
TEST(RuntimeApiObjectApi, AnSdksConnectionsLeaveTheRuntimeItsThreads)
{
    RecordingHandler handler;
    NoBuckets buckets;
    PlainListener listener;
    ASSERT_GT(listener.port, 0);
    RuntimeApiServer server{handler, &buckets};
    ASSERT_TRUE(server.serveOn(listener.fd));
    std::vector<std::unique_ptr<httplib::Client>> sdk; // each keeps its connection if it may
    for (int i = 0; i < 8; ++i) {
        auto client = std::make_unique<httplib::Client>("127.0.0.1", listener.port);
        client->set_keep_alive(true);
        client->set_read_timeout(5);
        auto res = client->Get("/s3/");
        ASSERT_TRUE(res) << "object API request " << i << ": " << httplib::to_string(res.error());
        EXPECT_NE(res->body.find("ListAllMyBucketsResult"), std::string::npos) << res->body;
        EXPECT_EQ(res->get_header_value("Connection"), "close");
        sdk.push_back(std::move(client));
    }
    httplib::Client runtime("127.0.0.1", listener.port);
    runtime.set_read_timeout(5);
    auto res = runtime.Get("/2018-06-01/runtime/restore/next");
    EXPECT_TRUE(res) << "the runtime got no thread: " << httplib::to_string(res.error());
}

} // namespace
