// The engine's one base64, hex, SHA-256 and id generator (engine/src/common).

#include "common/clock.h"
#include "common/encoding.h"
#include "common/random.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <set>
#include <string>

namespace lambdesk::engine::common {
namespace {

TEST(Base64, EncodesTheRfc4648Vectors)
{
    EXPECT_EQ(base64Encode(""), "");
    EXPECT_EQ(base64Encode("f"), "Zg==");
    EXPECT_EQ(base64Encode("fo"), "Zm8=");
    EXPECT_EQ(base64Encode("foo"), "Zm9v");
    EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64Encode(std::string("\0\xff\xfe", 3)), "AP/+");
}

TEST(Base64, DecodesPaddedUnpaddedAndWrappedInput)
{
    EXPECT_EQ(base64Decode("Zm9vYmE="), "fooba");
    EXPECT_EQ(base64Decode("Zm9vYmE"), "fooba");
    EXPECT_EQ(base64Decode("Zm9vYg"), "foob");
    EXPECT_EQ(base64Decode("Zm9v\r\nYmFy\n"), "foobar");
    EXPECT_EQ(base64Decode(""), "");
    EXPECT_EQ(base64Decode("AP/+"), std::string("\0\xff\xfe", 3));
    std::string all;
    for (int i = 0; i < 256; ++i)
        all.push_back(static_cast<char>(i));
    EXPECT_EQ(base64Decode(base64Encode(all)), all);
}

TEST(Base64, RefusesWhatIsNotBase64)
{
    EXPECT_FALSE(base64Decode("Zm9v!"));
    EXPECT_FALSE(base64Decode("Zm=9v"));  // data after padding
    EXPECT_FALSE(base64Decode("Zm9vY"));  // a lone symbol carries less than a byte
    EXPECT_FALSE(base64Decode("Zm9v-_")); // the URL-safe alphabet is not this one
}

TEST(Digest, Sha256AsHexAndAsLambdasCodeSha256)
{
    EXPECT_EQ(hexEncode(sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256Base64("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST(Random, UuidsAreVersion4AndDistinct)
{
    const std::regex v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string id = newUuid();
        ASSERT_TRUE(std::regex_match(id, v4)) << id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000u);
    EXPECT_EQ(randomHex(16).size(), 32u);
    EXPECT_NE(randomBytes(32), randomBytes(32));
}

// Small draws come from a per-thread block of CSPRNG output: a forked child must not hand out
// the bytes its parent hands out next.
TEST(Random, AForkedChildDrawsOtherBytesThanItsParent)
{
    (void)randomBytes(16); // the parent's block is filled and partly used
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        const std::string drawn = randomBytes(16);
        const bool written = ::write(fds[1], drawn.data(), drawn.size()) == 16;
        ::_exit(written ? 0 : 1);
    }
    ::close(fds[1]);
    std::string fromChild(16, '\0');
    const ssize_t got = ::read(fds[0], fromChild.data(), fromChild.size());
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_EQ(got, 16);
    EXPECT_NE(fromChild, randomBytes(16));
}

TEST(Clock, EpochMillisIsNowInMilliseconds)
{
    const auto now = epochMillis();
    EXPECT_GT(now, 1'700'000'000'000); // after 2023
    EXPECT_LT(now, 4'100'000'000'000); // before 2100
}

} // namespace
} // namespace lambdesk::engine::common
