// The Engine facade's console state: the saved test events of the Test tab and the Code tab's
// drafts, kept beside the functions but never part of them.
#include "core/engineimpl.h"
#include "store/consolestate.h"

namespace lambdesk::engine {

Result<std::vector<SavedTestEvent>> Engine::listTestEvents(const std::string &function)
{
    return m_impl->store->consoleState().listTestEvents(function);
}

Result<void> Engine::saveTestEvent(const std::string &function, const SavedTestEvent &event)
{
    return m_impl->store->consoleState().saveTestEvent(function, event);
}

Result<void> Engine::deleteTestEvent(const std::string &function, const std::string &eventName)
{
    return m_impl->store->consoleState().deleteTestEvent(function, eventName);
}

Result<std::vector<CodeFile>> Engine::loadDraft(const std::string &function)
{
    return m_impl->store->consoleState().loadDraft(function);
}

Result<void> Engine::saveDraft(const std::string &function, const std::vector<CodeFile> &files)
{
    return m_impl->store->consoleState().saveDraft(function, files);
}

Result<void> Engine::discardDraft(const std::string &function)
{
    return m_impl->store->consoleState().discardDraft(function);
}

} // namespace lambdesk::engine
