// The account-level figures GetAccountSettings and the console's Dashboard show.
#include "core/engineimpl.h"

#include "lambdesk/engine/validation.h"

#include <algorithm>

namespace lambdesk::engine {

AccountSettings Engine::accountSettings()
{
    AccountSettings settings;
    settings.totalCodeSizeLimit = kMaxTotalCodeBytes;
    settings.codeSizeUnzippedLimit = kMaxUnzippedCodeBytes;
    settings.codeSizeZippedLimit = kMaxZippedCodeBytes;
    settings.concurrentExecutions = options().accountConcurrency;
    int reserved = 0;
    const std::vector<FunctionInfo> functions = listFunctions();
    for (const FunctionInfo &function : functions) {
        settings.totalCodeSize += function.codeSize;
        reserved += function.reservedConcurrency.value_or(0);
    }
    settings.functionCount = static_cast<std::int64_t>(functions.size());
    settings.unreservedConcurrentExecutions = std::max(0, settings.concurrentExecutions - reserved);
    return settings;
}

} // namespace lambdesk::engine
