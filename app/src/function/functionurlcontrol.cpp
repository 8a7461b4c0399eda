// FunctionController's function URL calls (functioncontroller.h), apart from the rest for size.
#include "function/functioncontroller.h"

#include "async.h"

#include "lambdesk/engine/engine.h"

namespace lambdesk::app {

using engine::Engine;
using engine::FunctionUrlInfo;

void FunctionController::functionUrl(QObject *context,
                                     Reply<std::optional<FunctionUrlInfo>> done) const
{
    runAsync(
        context,
        [engine = &m_engine, name = m_name,
         qualifier = m_qualifier]() -> engine::Result<std::optional<FunctionUrlInfo>> {
            auto url = engine->getFunctionUrl(name, qualifier);
            if (url)
                return std::optional<FunctionUrlInfo>(std::move(*url));
            // "No URL" and "no function" are both NotFound; only the second is an error here.
            if (url.error().code == engine::ErrorCode::NotFound &&
                engine->getFunction(name, qualifier))
                return std::optional<FunctionUrlInfo>();
            return url.error();
        },
        std::move(done));
}

void FunctionController::saveFunctionUrl(QObject *context, engine::FunctionUrlSettings settings,
                                         bool create, Reply<FunctionUrlInfo> done) const
{
    runAsync(
        context,
        [engine = &m_engine, name = m_name, qualifier = m_qualifier, settings = std::move(settings),
         create]() -> engine::Result<FunctionUrlInfo> {
            engine::FunctionUrlPatch patch;
            patch.authType = settings.authType;
            patch.cors = settings.cors.value_or(engine::FunctionUrlCors{});
            patch.invokeMode = settings.invokeMode;
            auto url = create ? engine->createFunctionUrl(name, qualifier, settings)
                              : engine->updateFunctionUrl(name, qualifier, patch);
            if (url && settings.authType == engine::kUrlAuthNone)
                if (auto granted = engine->grantPublicFunctionUrlAccess(name, qualifier); !granted)
                    return granted.error();
            return url;
        },
        std::move(done));
}

void FunctionController::deleteFunctionUrl(QObject *context, Reply<void> done) const
{
    runAsync(
        context,
        [engine = &m_engine, name = m_name, qualifier = m_qualifier] {
            return engine->deleteFunctionUrl(name, qualifier);
        },
        std::move(done));
}

} // namespace lambdesk::app
