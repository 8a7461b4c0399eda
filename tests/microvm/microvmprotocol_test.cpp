// The host/agent framing must survive what a snapshot restore does to a serial port: a lost first
// byte, garbage, frames split at any point.

#include "microvmprotocol.h"
#include "sandbox/microvm/microvmchannel.h"

#include <gtest/gtest.h>

namespace lambdesk::engine::microvm {
namespace {

std::string twoFrames()
{
    std::string wire;
    appendFrame(wire, FrameType::Started, 0, encodeFields({{"nonce", "abc"}}));
    appendFrame(wire, FrameType::Data, 7, "GET /next");
    return wire;
}

TEST(MicroVmProtocol, RoundTripsFramesSplitAnywhere)
{
    const std::string wire = twoFrames();
    for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
        FrameDecoder decoder;
        decoder.feed(wire.data(), cut);
        std::vector<Frame> frames;
        while (auto f = decoder.next())
            frames.push_back(*f);
        decoder.feed(wire.data() + cut, wire.size() - cut);
        while (auto f = decoder.next())
            frames.push_back(*f);
        ASSERT_EQ(frames.size(), 2u) << "cut at " << cut;
        EXPECT_EQ(frames[0].type, FrameType::Started);
        EXPECT_EQ(field(*decodeFields(frames[0].payload), "nonce"), "abc");
        EXPECT_EQ(frames[1].stream, 7);
        EXPECT_EQ(frames[1].payload, "GET /next");
    }
}

TEST(MicroVmProtocol, DropsAFrameThatLostItsFirstByteAndKeepsTheNext)
{
    const std::string wire = twoFrames().substr(1);
    FrameDecoder decoder;
    decoder.feed(wire.data(), wire.size());
    auto frame = decoder.next();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->type, FrameType::Data);
    EXPECT_FALSE(decoder.next());
    EXPECT_GT(decoder.discardedBytes(), 0u);
}

TEST(MicroVmProtocol, APreambleAbsorbsALostFirstByte)
{
    std::string wire(8, '\0');
    appendFrame(wire, FrameType::Start, 0, "x");
    wire.erase(0, 1);
    FrameDecoder decoder;
    decoder.feed(wire.data(), wire.size());
    auto frame = decoder.next();
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->type, FrameType::Start);
}

TEST(MicroVmProtocol, RejectsACorruptedPayload)
{
    std::string wire;
    appendFrame(wire, FrameType::Output, 0, "hello");
    wire[kHeaderSize + 1] ^= 0x20;
    FrameDecoder decoder;
    decoder.feed(wire.data(), wire.size());
    EXPECT_FALSE(decoder.next());
}

TEST(MicroVmProtocol, FieldsKeepRepeatedKeysInOrder)
{
    Fields fields;
    fields.emplace("argv", "/usr/bin/python3.11");
    fields.emplace("argv", "/var/runtime/bootstrap.py");
    fields.emplace("env:A", std::string("x\0y", 3));
    auto decoded = decodeFields(encodeFields(fields));
    ASSERT_TRUE(decoded);
    auto [b, e] = decoded->equal_range("argv");
    ASSERT_EQ(std::distance(b, e), 2);
    EXPECT_EQ(b->second, "/usr/bin/python3.11");
    EXPECT_EQ(std::next(b)->second, "/var/runtime/bootstrap.py");
    EXPECT_EQ(field(*decoded, "env:A").size(), 3u);
    EXPECT_FALSE(decodeFields(std::string("\x05\x00\x00\x00" "ab", 6)));
}

std::string responsePost(std::string_view body, std::string_view extraHeaders = {})
{
    return "POST /2018-06-01/runtime/invocation/8f1c/response HTTP/1.1\r\nHost: 127.0.0.1:9001\r\n" +
           std::string(extraHeaders) + "content-length: " + std::to_string(body.size()) + "\r\n\r\n" +
           std::string(body);
}

TEST(MicroVmProtocol, TheAgentAnswersOnlyWholePlainResponsePosts)
{
    EXPECT_TRUE(answerableInGuest(responsePost(R"({"ok":true})")));
    EXPECT_TRUE(answerableInGuest(responsePost("")));
    const std::string whole = responsePost("12345");
    EXPECT_FALSE(answerableInGuest(whole.substr(0, whole.size() - 1))) << "body not all there yet";
    EXPECT_FALSE(answerableInGuest(whole + "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n"));
    // Errors, the next-event poll, streamed and chunked responses keep the Runtime API's answer.
    std::string error = whole;
    error.replace(error.find("/response"), 9, "/error");
    EXPECT_FALSE(answerableInGuest(error));
    EXPECT_FALSE(answerableInGuest("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_FALSE(answerableInGuest(responsePost("1", "Lambda-Runtime-Function-Response-Mode: streaming\r\n")));
    EXPECT_FALSE(answerableInGuest(responsePost("1", "Expect: 100-continue\r\n"))) << "two answers come";
    EXPECT_FALSE(answerableInGuest("POST /2018-06-01/runtime/invocation/8f1c/response HTTP/1.1\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n"));
    EXPECT_FALSE(answerableInGuest("POST /2018-06-01/runtime/invocation/8f1c/response HTTP/1.1\r\n\r\n"))
        << "no length";
    EXPECT_FALSE(answerableInGuest("POST /2018-06-01/runtime/invocation/8f1c/response HTTP/1.1\r\n"
                                   "Content-Length: 1x\r\n\r\n1x"));
    EXPECT_FALSE(answerableInGuest(responsePost(std::string(kMaxPayload, 'x')))) << "more than one frame";
}

TEST(MicroVmProtocol, TheRelayKnowsWhenAResponseIsWhole)
{
    const std::string response = "HTTP/1.1 202 Accepted\r\nContent-Length: 15\r\n"
                                 "Content-Type: application/json\r\n\r\n{\"status\":\"OK\"}";
    const std::size_t head = response.find('{');
    EXPECT_EQ(missingResponseBytes(response), 0u);
    EXPECT_EQ(missingResponseBytes(response.substr(0, head)), 15u);
    EXPECT_EQ(missingResponseBytes(response.substr(0, head + 4)), 11u);
    EXPECT_GT(missingResponseBytes("HTTP/1.1 200 OK\r\nContent-Le"), 0u) << "head still coming";
    EXPECT_EQ(missingResponseBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), 0u);
    EXPECT_EQ(missingResponseBytes("HTTP/1.1 200 OK\r\ncontent-length: 9999999\r\n\r\n"), 0u)
        << "too big to hold: streamed";
    EXPECT_EQ(missingResponseBytes("tail of a large body"), 0u);
}

} // namespace
} // namespace lambdesk::engine::microvm
