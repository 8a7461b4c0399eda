#pragma once
// A function URL's streamed response (InvokeMode RESPONSE_STREAM) on its way from the Runtime API
// thread that receives it to the URL listener's thread that sends it. Chunks queue here; the
// listener waits for the head (the status and headers of an HttpResponseStream prelude, or a
// plain 200) before it answers, then for each chunk.

#include "lambdesk/engine/types.h"
#include "triggers/functionurlevent.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace lambdesk::engine::api {

class UrlResponseStream final : public ResponseStream {
public:
    // ResponseStream, from the Runtime API thread
    void begin(const std::string &contentType) override;
    bool write(const std::string &chunk) override;

    // The invocation is over, streamed or not: no more chunks.
    void finish();
    // The client went away: later chunks are dropped.
    void cancel();

    // Blocks until the head is known (true) or the invocation ended without streaming (false).
    bool waitForHead();
    // After waitForHead() returned true; a prelude that is not valid metadata is a 502.
    const triggers::UrlResponse &head() const { return m_head; }
    // The next chunk of the body; nullopt once the stream has ended.
    std::optional<std::string> next();

private:
    void takeBytes(std::string bytes); // caller holds m_mutex

    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_begun = false;
    bool m_readingPrelude = false;
    bool m_headReady = false;
    bool m_finished = false;
    bool m_cancelled = false;
    std::string m_contentType;
    std::string m_prelude;
    triggers::UrlResponse m_head;
    std::deque<std::string> m_chunks;
};

} // namespace lambdesk::engine::api
