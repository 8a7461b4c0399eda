// ApiServer itself: binding, refusing a taken port, serving many clients at once, keep-alive.

#include "apitestsupport.h"

#include <chrono>
#include <future>
#include <thread>

namespace lambdesk::engine::testing {
namespace {

using ApiServerTest = ApiTest;

TEST_F(ApiServerTest, ReportsItsBaseUrlAndRefusesASecondStart)
{
    EXPECT_EQ(m_server->baseUrl(), "http://127.0.0.1:" + std::to_string(m_port));
    auto again = m_server->start("127.0.0.1", 0);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::Conflict);
}

TEST_F(ApiServerTest, ATakenPortIsAClearError)
{
    ApiServer second(*m_engine);
    auto port = second.start("127.0.0.1", m_port);
    ASSERT_FALSE(port.ok());
    EXPECT_NE(port.error().message.find("address already in use"), std::string::npos)
        << port.error().message;
    // The first server still answers.
    auto res = m_client->Get(kFunctionsUri);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
}

TEST_F(ApiServerTest, StopsAndRestarts)
{
    m_server->stop();
    EXPECT_TRUE(m_server->baseUrl().empty());
    auto res = m_client->Get(kFunctionsUri);
    EXPECT_FALSE(res);
    auto port = m_server->start("127.0.0.1", 0);
    ASSERT_TRUE(port.ok()) << port.error().message;
    httplib::Client client("127.0.0.1", *port);
    signWithAnyKey(client);
    auto again = client.Get(kFunctionsUri);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 200);
}

TEST_F(ApiServerTest, KeepAliveServesManyRequestsOnOneConnection)
{
    m_client->set_keep_alive(true);
    for (int i = 0; i < 50; ++i) {
        auto res = m_client->Get(kFunctionsUri);
        ASSERT_TRUE(res) << i;
        EXPECT_EQ(res->status, 200);
    }
}

TEST_F(ApiServerTest, ServesConcurrentInvocations)
{
    createOrFail("sleepy", {{"Timeout", 30}});
    // Warm one environment first so the timing below is about overlap, not cold starts.
    auto warm = invoke("sleepy", "{}");
    ASSERT_TRUE(warm && warm->status == 200);

    constexpr int kClients = 6;
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::future<int>> results;
    for (int i = 0; i < kClients; ++i) {
        results.push_back(std::async(std::launch::async, [this] {
            httplib::Client client("127.0.0.1", m_port);
            signWithAnyKey(client);
            client.set_read_timeout(120, 0);
            auto res = client.Post(std::string(kFunctionsUri) + "/sleepy/invocations",
                                   R"({"sleep": 1})", "application/json");
            return res ? res->status : -1;
        }));
    }
    for (auto &result : results)
        EXPECT_EQ(result.get(), 200);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // Served one after another this would take at least kClients seconds.
    EXPECT_LT(seconds, kClients - 1.5) << "invocations did not overlap";
}

} // namespace
} // namespace lambdesk::engine::testing
