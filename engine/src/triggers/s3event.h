#pragma once
// The S3 event notification a folder bucket sends its function: one record per change, as S3
// writes it (eventVersion 2.1, the key URL-encoded with '+' for spaces, eTag the object's MD5).
// Pure: the caller gives times, sizes and sequencers.

#include <cstdint>
#include <string>

namespace lambdesk::engine::triggers {

struct S3ObjectChange {
    bool removed = false; // ObjectRemoved:Delete, else ObjectCreated:Put
    std::string bucket;
    std::string key;             // the object's key, not encoded: "reports/q4 2026.csv"
    std::int64_t size = 0;       // created only
    std::string eTag;            // created only: MD5 hex
    std::string sequencer;       // orders the events of one key
    std::string configurationId; // the notification's id
    std::int64_t eventTimeMs = 0;
    std::string region;
    std::string accountId;
};

// {"Records":[{...}]}
std::string s3Event(const S3ObjectChange &change);

// S3's key encoding in events: form encoding ('+' for a space, %XX for the rest), with '/'
// kept as it is: "reports/q4 2026.csv" -> "reports/q4+2026.csv".
std::string s3EventKey(const std::string &key);

// "2026-12-06T20:04:11.123Z"
std::string s3EventTime(std::int64_t epochMs);

// A 16-hex-digit sequencer from a counter, so later events of a key sort after earlier ones.
std::string s3Sequencer(std::uint64_t counter);

} // namespace lambdesk::engine::triggers
