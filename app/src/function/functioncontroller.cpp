#include "function/functioncontroller.h"

#include "async.h"
#include "function/controllerrun.h"

#include "lambdesk/engine/engine.h"

#include <QFile>

#include <utility>

namespace lambdesk::app {

using engine::Engine;
using engine::FunctionInfo;
using engine::FunctionUrlInfo;
using engine::Result;

FunctionController::FunctionController(Engine &engine, std::string name, std::string qualifier)
    : m_engine(engine), m_name(std::move(name)), m_qualifier(std::move(qualifier))
{
}

void FunctionController::load(QObject *context, Reply<FunctionInfo> done) const
{
    run(
        context,
        [qualifier = m_qualifier](Engine &engine, const std::string &name) {
            return engine.getFunction(name, qualifier);
        },
        std::move(done));
}

void FunctionController::updateConfiguration(QObject *context, engine::FunctionConfigPatch patch,
                                             Reply<FunctionInfo> done) const
{
    run(
        context,
        [patch = std::move(patch)](Engine &engine, const std::string &name) {
            return engine.updateFunctionConfiguration(name, patch);
        },
        std::move(done));
}

void FunctionController::setReservedConcurrency(QObject *context, std::optional<int> reserved,
                                                Reply<FunctionInfo> done) const
{
    run(
        context,
        [reserved](Engine &engine, const std::string &name) -> Result<FunctionInfo> {
            const Result<void> changed = reserved ? engine.putFunctionConcurrency(name, *reserved)
                                                  : engine.deleteFunctionConcurrency(name);
            if (!changed)
                return changed.error();
            return engine.getFunction(name);
        },
        std::move(done));
}

void FunctionController::listTags(QObject *context, const std::string &arn,
                                  Reply<std::map<std::string, std::string>> done) const
{
    run(
        context, [arn](Engine &engine, const std::string &) { return engine.listTags(arn); },
        std::move(done));
}

void FunctionController::changeTags(QObject *context, const std::string &arn,
                                    std::map<std::string, std::string> tags,
                                    std::vector<std::string> removed,
                                    Reply<FunctionInfo> done) const
{
    run(
        context,
        [arn, tags = std::move(tags), removed = std::move(removed)](
            Engine &engine, const std::string &name) -> Result<FunctionInfo> {
            if (!removed.empty())
                if (auto result = engine.untagResource(arn, removed); !result)
                    return result.error();
            if (!tags.empty())
                if (auto result = engine.tagResource(arn, tags); !result)
                    return result.error();
            return engine.getFunction(name);
        },
        std::move(done));
}

void FunctionController::remove(QObject *context, Reply<void> done) const
{
    run(
        context,
        [](Engine &engine, const std::string &name) { return engine.deleteFunction(name); },
        std::move(done));
}

void FunctionController::loadCode(QObject *context, std::function<void(Code)> done) const
{
    run(
        context,
        [qualifier = m_qualifier](Engine &engine, const std::string &name) {
            if (!qualifier.empty()) // a published version has no draft
                return Code{engine.readCode(name, qualifier), std::vector<engine::CodeFile>{}};
            return Code{engine.readCode(name), engine.loadDraft(name)};
        },
        std::move(done));
}

void FunctionController::saveDraft(QObject *context, std::vector<engine::CodeFile> files,
                                   Reply<void> done) const
{
    run(
        context,
        [files = std::move(files)](Engine &engine, const std::string &name) {
            return engine.saveDraft(name, files);
        },
        std::move(done));
}

void FunctionController::discardDraft(QObject *context, Reply<void> done) const
{
    run(
        context, [](Engine &engine, const std::string &name) { return engine.discardDraft(name); },
        std::move(done));
}

void FunctionController::keepDraftDetached(std::vector<engine::CodeFile> files) const
{
    runDetached([engine = &m_engine, name = m_name, files = std::move(files)] {
        (void)engine->saveDraft(name, files);
    });
}

void FunctionController::discardDraftDetached() const
{
    runDetached([engine = &m_engine, name = m_name] { (void)engine->discardDraft(name); });
}

void FunctionController::deploy(QObject *context, std::vector<engine::CodeFile> files,
                                Reply<FunctionInfo> done) const
{
    run(
        context,
        [files = std::move(files)](Engine &engine, const std::string &name) {
            return engine.deployFiles(name, files);
        },
        std::move(done));
}

void FunctionController::uploadZip(QObject *context, const QString &path,
                                   Reply<FunctionInfo> done) const
{
    run(
        context,
        [path](Engine &engine, const std::string &name) -> Result<FunctionInfo> {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return engine::makeError(engine::ErrorCode::InvalidParameter,
                                         "cannot read " + path.toStdString() + ": " +
                                             file.errorString().toStdString());
            return engine.updateFunctionCode(name, file.readAll().toStdString());
        },
        std::move(done));
}

void FunctionController::invoke(QObject *context, std::string payload,
                                Reply<engine::InvokeResult> done) const
{
    run(
        context,
        [payload = std::move(payload), qualifier = m_qualifier](Engine &engine,
                                                                const std::string &name) {
            engine::InvokeRequest request;
            request.functionName = name;
            request.qualifier = qualifier;
            request.payload = payload;
            request.tailLog = true; // the Test tab shows the log tail, as the console does
            return engine.invoke(request);
        },
        std::move(done));
}

std::function<Result<engine::InvokeResult>(const std::string &)> FunctionController::invoker() const
{
    return
        [engine = &m_engine, name = m_name, qualifier = m_qualifier](const std::string &payload) {
            engine::InvokeRequest request;
            request.functionName = name;
            request.qualifier = qualifier;
            request.payload = payload;
            return engine->invoke(request);
        };
}

void FunctionController::listTestEvents(QObject *context,
                                        Reply<std::vector<engine::SavedTestEvent>> done) const
{
    run(
        context,
        [](Engine &engine, const std::string &name) { return engine.listTestEvents(name); },
        std::move(done));
}

void FunctionController::saveTestEvent(QObject *context, engine::SavedTestEvent event,
                                       Reply<void> done) const
{
    run(
        context,
        [event = std::move(event)](Engine &engine, const std::string &name) {
            return engine.saveTestEvent(name, event);
        },
        std::move(done));
}

void FunctionController::deleteTestEvent(QObject *context, std::string eventName,
                                         Reply<void> done) const
{
    run(
        context,
        [eventName = std::move(eventName)](Engine &engine, const std::string &name) {
            return engine.deleteTestEvent(name, eventName);
        },
        std::move(done));
}

void FunctionController::loadHistory(QObject *context, std::size_t recentCount,
                                     InvocationFilter filter,
                                     std::function<void(History)> done) const
{
    run(
        context,
        [recentCount, filter = std::move(filter)](Engine &engine, const std::string &name) {
            History history;
            engine::InvocationQuery all;
            all.functionName = name;
            all.version = filter.version;
            all.alias = filter.alias;
            const std::vector<engine::InvocationRecord> records = engine.listInvocations(all);
            history.samples.reserve(records.size());
            for (const engine::InvocationRecord &record : records)
                history.samples.push_back(toSample(record));
            engine::InvocationQuery recent = all;
            recent.limit = recentCount;
            recent.withLogs = true;
            history.recent = engine.listInvocations(recent);
            return history;
        },
        std::move(done));
}

void FunctionController::listVersions(QObject *context, Reply<std::vector<FunctionInfo>> done) const
{
    run(
        context, [](Engine &engine, const std::string &name) { return engine.listVersions(name); },
        std::move(done));
}

void FunctionController::readCode(QObject *context, std::string qualifier,
                                  Reply<std::vector<engine::CodeFile>> done) const
{
    run(
        context,
        [qualifier = std::move(qualifier)](Engine &engine, const std::string &name) {
            return engine.readCode(name, qualifier);
        },
        std::move(done));
}

void FunctionController::diffCode(QObject *context, engine::CodeRevision from,
                                  engine::CodeRevision to,
                                  Reply<std::vector<engine::FileDiff>> done) const
{
    run(
        context,
        [from = std::move(from), to = std::move(to)](Engine &engine, const std::string &name) {
            return engine.diffCode(name, from, to);
        },
        std::move(done));
}

void FunctionController::publishVersion(QObject *context, std::string description,
                                        Reply<FunctionInfo> done) const
{
    run(
        context,
        [description = std::move(description)](Engine &engine, const std::string &name) {
            return engine.publishVersion(name, description);
        },
        std::move(done));
}

int FunctionController::accountConcurrency() const
{
    return m_engine.options().accountConcurrency;
}

void FunctionController::listAliases(QObject *context,
                                     Reply<std::vector<engine::AliasInfo>> done) const
{
    run(
        context, [](Engine &engine, const std::string &name) { return engine.listAliases(name); },
        std::move(done));
}

void FunctionController::createAlias(QObject *context, engine::AliasConfig alias,
                                     Reply<engine::AliasInfo> done) const
{
    run(
        context,
        [alias = std::move(alias)](Engine &engine, const std::string &name) {
            return engine.createAlias(name, alias);
        },
        std::move(done));
}

void FunctionController::updateAlias(QObject *context, std::string aliasName,
                                     engine::AliasPatch patch, Reply<engine::AliasInfo> done) const
{
    run(
        context,
        [aliasName = std::move(aliasName), patch = std::move(patch)](Engine &engine,
                                                                     const std::string &name) {
            return engine.updateAlias(name, aliasName, patch);
        },
        std::move(done));
}

void FunctionController::deleteAlias(QObject *context, std::string aliasName,
                                     Reply<void> done) const
{
    run(
        context,
        [aliasName = std::move(aliasName)](Engine &engine, const std::string &name) {
            return engine.deleteAlias(name, aliasName);
        },
        std::move(done));
}

void FunctionController::policy(QObject *context,
                                Reply<std::optional<engine::FunctionPolicy>> done) const
{
    run(
        context,
        [](Engine &engine,
           const std::string &name) -> engine::Result<std::optional<engine::FunctionPolicy>> {
            auto policy = engine.getPolicy(name);
            if (policy)
                return std::optional<engine::FunctionPolicy>(std::move(*policy));
            if (policy.error().code == engine::ErrorCode::NotFound && engine.getFunction(name))
                return std::optional<engine::FunctionPolicy>(); // a function without a policy
            return policy.error();
        },
        std::move(done));
}

void FunctionController::addPermission(QObject *context, engine::PermissionRequest request,
                                       Reply<std::string> done) const
{
    run(
        context,
        [request = std::move(request)](Engine &engine, const std::string &name) {
            return engine.addPermission(name, {}, request);
        },
        std::move(done));
}

void FunctionController::removePermission(QObject *context, std::string statementId,
                                          Reply<void> done) const
{
    run(
        context,
        [statementId = std::move(statementId)](Engine &engine, const std::string &name) {
            return engine.removePermission(name, {}, statementId);
        },
        std::move(done));
}

void FunctionController::layerVersions(
    QObject *context, std::function<void(std::vector<engine::LayerVersionInfo>)> done) const
{
    run(
        context,
        [](Engine &engine, const std::string &) {
            std::vector<engine::LayerVersionInfo> all;
            for (const engine::LayerVersionInfo &layer : engine.listLayers()) {
                auto versions = engine.listLayerVersions(layer.layerName);
                all.insert(all.end(), versions.begin(), versions.end());
            }
            return all;
        },
        std::move(done));
}

void FunctionController::setLayers(QObject *context, std::vector<std::string> layerVersionArns,
                                   Reply<FunctionInfo> done) const
{
    engine::FunctionConfigPatch patch;
    patch.layers = std::move(layerVersionArns);
    updateConfiguration(context, std::move(patch), std::move(done));
}

void FunctionController::runtimes(QObject *context,
                                  std::function<void(std::vector<engine::Availability>)> done) const
{
    run(
        context, [](Engine &engine, const std::string &) { return engine.runtimes(); },
        std::move(done));
}

void FunctionController::sandboxes(
    QObject *context,
    std::function<void(std::vector<engine::Availability>, bool guestImageBuilt)> done) const
{
    run(
        context,
        [](Engine &engine, const std::string &) {
            return std::make_pair(engine.sandboxAvailability(), engine.guestImage().built);
        },
        [done = std::move(done)](std::pair<std::vector<engine::Availability>, bool> found) {
            done(std::move(found.first), found.second);
        });
}

} // namespace lambdesk::app
