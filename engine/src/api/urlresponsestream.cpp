#include "api/urlresponsestream.h"

namespace lambdesk::engine::api {

void UrlResponseStream::begin(const std::string &contentType)
{
    std::lock_guard lock(m_mutex);
    m_begun = true;
    m_contentType = contentType;
    m_readingPrelude = contentType == triggers::kPreludeContentType;
    if (!m_readingPrelude) {
        m_head = *triggers::streamedHead(contentType, std::nullopt);
        m_headReady = true;
    }
    m_changed.notify_all();
}

bool UrlResponseStream::write(const std::string &chunk)
{
    std::lock_guard lock(m_mutex);
    if (m_cancelled)
        return false;
    takeBytes(chunk);
    m_changed.notify_all();
    return true;
}

void UrlResponseStream::takeBytes(std::string bytes)
{
    if (!m_readingPrelude) {
        if (!bytes.empty())
            m_chunks.push_back(std::move(bytes));
        return;
    }
    m_prelude += bytes;
    const auto end = m_prelude.find(std::string(triggers::kPreludeDelimiterLength, '\0'));
    if (end == std::string::npos)
        return;
    m_readingPrelude = false;
    auto head = triggers::streamedHead(m_contentType, m_prelude.substr(0, end));
    m_head = head ? std::move(*head) : triggers::functionErrorResponse();
    m_headReady = true;
    if (!head) { // a 502 has a body of its own: the function's bytes stay out of it
        m_chunks.push_back(m_head.body);
        m_cancelled = true;
        return;
    }
    std::string rest = m_prelude.substr(end + triggers::kPreludeDelimiterLength);
    m_prelude.clear();
    if (!rest.empty())
        m_chunks.push_back(std::move(rest));
}

void UrlResponseStream::finish()
{
    std::lock_guard lock(m_mutex);
    m_finished = true;
    if (m_begun && !m_headReady) { // the stream ended inside its prelude
        m_head = triggers::functionErrorResponse();
        m_chunks.assign(1, m_head.body);
        m_headReady = true;
    }
    m_changed.notify_all();
}

void UrlResponseStream::cancel()
{
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
    m_changed.notify_all();
}

bool UrlResponseStream::waitForHead()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return m_headReady || (m_finished && !m_begun); });
    return m_headReady;
}

std::optional<std::string> UrlResponseStream::next()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [this] { return !m_chunks.empty() || m_finished; });
    if (m_chunks.empty())
        return std::nullopt;
    std::string chunk = std::move(m_chunks.front());
    m_chunks.pop_front();
    return chunk;
}

} // namespace lambdesk::engine::api
