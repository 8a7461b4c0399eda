#pragma once
// What the console keeps for a user beside each function: saved test events (at most 10, as the
// console allows) and the editor's draft of undeployed changes. Both belong to a function and go
// with it when it is deleted (the database cascades).
//
// Thread-safe, with a connection and a lock of its own.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace lambdesk::engine {

struct StoreOptions;

class ConsoleState {
public:
    // The data dir's database, whose schema the function store has created.
    static Result<std::unique_ptr<ConsoleState>> open(const StoreOptions &options);
    ~ConsoleState();
    ConsoleState(const ConsoleState &) = delete;
    ConsoleState &operator=(const ConsoleState &) = delete;

    Result<std::vector<SavedTestEvent>> listTestEvents(const std::string &function);
    Result<void> saveTestEvent(const std::string &function, const SavedTestEvent &event);
    Result<void> deleteTestEvent(const std::string &function, const std::string &eventName);

    Result<std::vector<CodeFile>> loadDraft(const std::string &function);
    Result<void> saveDraft(const std::string &function, const std::vector<CodeFile> &files);
    Result<void> discardDraft(const std::string &function);

private:
    struct Impl;
    explicit ConsoleState(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::engine
