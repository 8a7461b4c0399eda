// The host/agent framing must survive what a snapshot restore does to a serial port: a lost first
// byte, garbage, frames split at any point.

#include "sandbox/microvmprotocol.h"

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
    EXPECT_FALSE(decodeFields(std::string("\x05\x00\x00\x00ab", 6)));
}

} // namespace
} // namespace lambdesk::engine::microvm
