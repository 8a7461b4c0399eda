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
    // As Lambda counts storage: every version's package (published versions keep their own),
    // and every layer version's archive.
    for (const FunctionInfo &function : functions) {
        reserved += function.reservedConcurrency.value_or(0);
        const auto versions = listVersions(function.config.name); // $LATEST first
        if (!versions) {
            settings.totalCodeSize += function.codeSize;
            continue;
        }
        for (const FunctionInfo &version : *versions)
            settings.totalCodeSize += version.codeSize;
    }
    for (const LayerVersionInfo &layer : listLayers())
        for (const LayerVersionInfo &version : listLayerVersions(layer.layerName))
            settings.totalCodeSize += version.codeSize;
    settings.functionCount = static_cast<std::int64_t>(functions.size());
    settings.unreservedConcurrentExecutions = std::max(0, settings.concurrentExecutions - reserved);
    return settings;
}

} // namespace lambdesk::engine
