// The Engine facade's event invoke configs: Lambda's rules for MaximumRetryAttempts,
// MaximumEventAgeInSeconds and destinations, per function, version or alias. What happens to
// an event under them is asyncinvocations.cpp's.
#include "common/clock.h"
#include "core/engineimpl.h"

namespace lambdesk::engine {

namespace {

std::string qualifierOrLatest(const std::string &qualifier)
{
    return qualifier.empty() ? std::string("$LATEST") : qualifier;
}

void apply(EventInvokeConfig &config, const EventInvokeConfigInput &input)
{
    if (input.maximumRetryAttempts)
        config.maximumRetryAttempts = input.maximumRetryAttempts;
    if (input.maximumEventAgeInSeconds)
        config.maximumEventAgeInSeconds = input.maximumEventAgeInSeconds;
    if (input.onSuccess)
        config.onSuccess = *input.onSuccess;
    if (input.onFailure)
        config.onFailure = *input.onFailure;
}

} // namespace

Result<void> validateEventInvokeConfig(const EventInvokeConfigInput &input)
{
    if (!input.maximumRetryAttempts && !input.maximumEventAgeInSeconds && !input.onSuccess &&
        !input.onFailure)
        return makeError(ErrorCode::InvalidParameter,
                         "You must specify at least one of error handling or destination setting.");
    if (const auto retries = input.maximumRetryAttempts;
        retries && (*retries < kMinRetryAttempts || *retries > kMaxRetryAttempts))
        return constraintError(std::to_string(*retries), "maximumRetryAttempts",
                               *retries < kMinRetryAttempts
                                   ? "Member must have value greater than or equal to 0"
                                   : "Member must have value less than or equal to 2");
    if (const auto age = input.maximumEventAgeInSeconds;
        age && (*age < kMinEventAgeSeconds || *age > kMaxEventAgeSeconds))
        return constraintError(std::to_string(*age), "maximumEventAgeInSeconds",
                               *age < kMinEventAgeSeconds
                                   ? "Member must have value greater than or equal to 60"
                                   : "Member must have value less than or equal to 21600");
    return {};
}

Result<void> Engine::Impl::checkDestination(const std::string &arn)
{
    switch (destinationKind(arn)) {
    case DestinationKind::Function: {
        auto ref = parseFunctionRef(arn);
        if (!ref)
            return ref.error();
        if (auto function = store->get(ref->name, ref->qualifier, 0.0); !function)
            return makeError(ErrorCode::InvalidParameter,
                             "The destination ARN " + arn +
                                 " is invalid: no such function in this engine.");
        return {};
    }
    case DestinationKind::Queue:
        if (const auto name = queueNameFromUrlOrArn(arn); name && queueArn(*name) == arn)
            if (auto queue = existingQueue(*name))
                return {};
        return makeError(ErrorCode::InvalidParameter,
                         "The destination ARN " + arn +
                             " is invalid: no such queue in this engine.");
    case DestinationKind::Unsupported:
        break;
    }
    return makeError(ErrorCode::InvalidParameter,
                     "The destination ARN " + arn +
                         " is invalid: a destination here is a function (arn:aws:lambda:...) or "
                         "a queue (arn:aws:sqs:...) of this engine; Lambdesk has no SNS topics, "
                         "event buses or S3 buckets.");
}

Result<void> Engine::Impl::checkDestinations(const EventInvokeConfigInput &input)
{
    for (const auto *destination : {&input.onSuccess, &input.onFailure})
        if (*destination && !(*destination)->empty())
            if (auto checked = checkDestination(**destination); !checked)
                return checked.error();
    return {};
}

Result<void> Engine::Impl::checkDeadLetterQueue(const std::string &arn)
{
    if (arn.empty() || destinationKind(arn) != DestinationKind::Queue)
        return {};
    return checkDestination(arn);
}

Result<EventInvokeConfig> Engine::putFunctionEventInvokeConfig(const std::string &functionName,
                                                               const std::string &qualifier,
                                                               const EventInvokeConfigInput &input)
{
    if (auto valid = validateEventInvokeConfig(input); !valid)
        return valid.error();
    const auto target = qualifiedRef(functionName, qualifier);
    if (!target)
        return target.error();
    auto function = m_impl->store->get(target->name, target->qualifier, 0.0);
    if (!function)
        return function.error();
    if (auto checked = m_impl->checkDestinations(input); !checked)
        return checked.error();
    EventInvokeConfig config;
    config.functionName = function->info.config.name;
    config.qualifier = qualifierOrLatest(target->qualifier);
    apply(config, input);
    config.lastModifiedMs = common::epochMillis();
    if (auto stored = m_impl->store->asyncInvocations().putConfig(config); !stored)
        return stored.error();
    config.functionArn = m_impl->qualifiedArn(config.functionName, config.qualifier);
    return config;
}

Result<EventInvokeConfig>
Engine::updateFunctionEventInvokeConfig(const std::string &functionName,
                                        const std::string &qualifier,
                                        const EventInvokeConfigInput &input)
{
    if (auto valid = validateEventInvokeConfig(input); !valid)
        return valid.error();
    auto config = getFunctionEventInvokeConfig(functionName, qualifier);
    if (!config)
        return config.error();
    if (auto checked = m_impl->checkDestinations(input); !checked)
        return checked.error();
    apply(*config, input);
    config->lastModifiedMs = common::epochMillis();
    if (auto stored = m_impl->store->asyncInvocations().putConfig(*config); !stored)
        return stored.error();
    return config;
}

Result<EventInvokeConfig> Engine::getFunctionEventInvokeConfig(const std::string &functionName,
                                                               const std::string &qualifier)
{
    const auto target = qualifiedRef(functionName, qualifier);
    if (!target)
        return target.error();
    auto function = m_impl->store->get(target->name, target->qualifier, 0.0);
    if (!function)
        return function.error();
    const std::string name = function->info.config.name;
    const std::string configured = qualifierOrLatest(target->qualifier);
    auto config = m_impl->store->asyncInvocations().config(name, configured);
    if (!config)
        return config.error();
    if (!*config)
        return makeError(ErrorCode::NotFound, "The function " +
                                                  m_impl->qualifiedArn(name, configured) +
                                                  " doesn't have an EventInvokeConfig");
    (*config)->functionArn = m_impl->qualifiedArn(name, configured);
    return std::move(**config);
}

Result<void> Engine::deleteFunctionEventInvokeConfig(const std::string &functionName,
                                                     const std::string &qualifier)
{
    auto config = getFunctionEventInvokeConfig(functionName, qualifier);
    if (!config)
        return config.error();
    if (auto removed =
            m_impl->store->asyncInvocations().removeConfig(config->functionName, config->qualifier);
        !removed)
        return removed.error();
    return {};
}

Result<std::vector<EventInvokeConfig>>
Engine::listFunctionEventInvokeConfigs(const std::string &functionName)
{
    const auto ref = parseFunctionRef(functionName);
    if (!ref)
        return ref.error();
    auto function = m_impl->store->get(ref->name, {}, 0.0);
    if (!function)
        return function.error();
    auto configs = m_impl->store->asyncInvocations().listConfigs(function->info.config.name);
    if (!configs)
        return configs.error();
    for (EventInvokeConfig &config : *configs)
        config.functionArn = m_impl->qualifiedArn(config.functionName, config.qualifier);
    return configs;
}

Result<std::size_t> Engine::pendingAsyncEvents(const std::string &functionName)
{
    const auto ref = parseFunctionRef(functionName);
    if (!ref)
        return ref.error();
    return m_impl->store->asyncInvocations().pending(ref->name);
}

} // namespace lambdesk::engine
