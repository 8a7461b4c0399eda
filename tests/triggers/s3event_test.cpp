// The S3 event a folder bucket sends: S3's record shape (the reference sample's members), its key
// encoding, and the delete record without size or eTag.
#include "triggers/s3event.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace lambdesk::engine::triggers {
namespace {

using nlohmann::json;

S3ObjectChange change()
{
    S3ObjectChange object;
    object.bucket = "orders-inbox";
    object.key = "in/q4 2026.csv";
    object.size = 1024;
    object.eTag = "0123456789abcdef0123456789abcdef";
    object.sequencer = s3Sequencer(26);
    object.configurationId = "csv-drop";
    object.eventTimeMs = 1'796'551'200'123; // 2026-12-06T10:00:00.123Z
    object.region = "us-east-1";
    object.accountId = "000000000000";
    return object;
}

TEST(S3Event, KeysAreEncodedAsS3Does)
{
    EXPECT_EQ(s3EventKey("in/q4 2026.csv"), "in/q4+2026.csv");
    EXPECT_EQ(s3EventKey("a+b=c&d.txt"), "a%2Bb%3Dc%26d.txt");
    EXPECT_EQ(s3EventKey("caf\xc3\xa9.txt"), "caf%C3%A9.txt");
    EXPECT_EQ(s3EventKey("under_score-dash.tar.gz"), "under_score-dash.tar.gz");
}

TEST(S3Event, HasTheMembersOfS3sRecord)
{
    const json event = json::parse(s3Event(change()));
    const json &record = event["Records"][0];
    std::ifstream sampleFile(std::string(LAMBDESK_SOURCE_DIR) +
                             "/../shared/reference/events/s3-put.json");
    if (sampleFile) { // the reference is beside the repository on a development machine
        const json sample = json::parse(sampleFile)["Records"][0];
        for (const auto &[key, value] : sample.items())
            EXPECT_TRUE(record.contains(key)) << key;
        for (const auto &[key, value] : sample["s3"]["object"].items())
            EXPECT_TRUE(record["s3"]["object"].contains(key)) << key;
    }
    EXPECT_EQ(record["eventVersion"], "2.1");
    EXPECT_EQ(record["eventSource"], "aws:s3");
    EXPECT_EQ(record["eventName"], "ObjectCreated:Put");
    EXPECT_EQ(record["eventTime"], "2026-12-06T10:00:00.123Z");
    EXPECT_EQ(record["s3"]["configurationId"], "csv-drop");
    EXPECT_EQ(record["s3"]["bucket"]["name"], "orders-inbox");
    EXPECT_EQ(record["s3"]["bucket"]["arn"], "arn:aws:s3:::orders-inbox");
    EXPECT_EQ(record["s3"]["object"]["key"], "in/q4+2026.csv");
    EXPECT_EQ(record["s3"]["object"]["size"], 1024);
    EXPECT_EQ(record["s3"]["object"]["eTag"], "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(record["s3"]["object"]["sequencer"], "000000000000001A");
}

TEST(S3Event, ADeleteHasNoSizeOrETag)
{
    S3ObjectChange removed = change();
    removed.removed = true;
    const json object = json::parse(s3Event(removed))["Records"][0]["s3"]["object"];
    EXPECT_EQ(json::parse(s3Event(removed))["Records"][0]["eventName"], "ObjectRemoved:Delete");
    EXPECT_FALSE(object.contains("size"));
    EXPECT_FALSE(object.contains("eTag"));
    EXPECT_EQ(object["key"], "in/q4+2026.csv");
}

} // namespace
} // namespace lambdesk::engine::triggers
