// The Runtime API server on its own: the SnapStart endpoints, and the socket options of a
// listener a sandbox opened and handed over.

#include "core/runtimeapiserver.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>

using namespace lambdesk::engine;

namespace {

struct RecordingHandler final : RuntimeApiHandler {
    std::optional<RuntimeEvent> nextEvent() override { return std::nullopt; }
    bool postResponse(const std::string &, std::string) override { return false; }
    bool postError(const std::string &, const std::string &, std::string) override { return false; }
    void postInitError(const std::string &errorType, std::string body) override
    {
        std::lock_guard lock(mutex);
        initErrors.emplace_back(errorType, std::move(body));
    }
    std::mutex mutex;
    std::vector<std::pair<std::string, std::string>> initErrors;
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
