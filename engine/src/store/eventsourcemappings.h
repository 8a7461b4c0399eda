#pragma once
// Event source mappings, rows in SQLite; a mapping goes with its function. The rules (limits,
// which sources exist) are the engine's; this keeps what it is given.
//
// Thread-safe, with a connection and a lock of its own.

#include "lambdesk/engine/eventsourcemapping.h"
#include "lambdesk/engine/result.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdesk::engine {

class EventSourceMappingStore {
public:
    static Result<std::unique_ptr<EventSourceMappingStore>>
    open(const std::filesystem::path &database);
    ~EventSourceMappingStore();
    EventSourceMappingStore(const EventSourceMappingStore &) = delete;
    EventSourceMappingStore &operator=(const EventSourceMappingStore &) = delete;

    // Inserts or replaces by uuid. Fields arn, functionArn and state are not kept.
    Result<void> put(const EventSourceMapping &mapping);
    Result<std::optional<EventSourceMapping>> get(const std::string &uuid);
    // Every mapping, or those of one function (any qualifier) and/or one source.
    Result<std::vector<EventSourceMapping>> list(const std::string &functionName = {},
                                                 const std::string &sourceArn = {});
    Result<void> remove(const std::string &uuid);

private:
    struct Impl;
    explicit EventSourceMappingStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
