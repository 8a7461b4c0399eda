#include "core/engineimpl.h"

#include <cstdio>
#include <unistd.h>

namespace lambdesk::engine {
namespace {

constexpr const char *kSandboxTag = "lambdesk:sandbox";

bool isBackendName(const std::string &name)
{
    return name == "process" || name == "gvisor" || name == "microvm";
}

} // namespace

SandboxSelector::SandboxSelector(std::string defaultChoice, std::filesystem::path cacheDir)
    : m_default(std::move(defaultChoice)), m_cacheDir(std::move(cacheDir))
{
}

SandboxSelector::~SandboxSelector()
{
    if (m_autoProbe.joinable())
        m_autoProbe.join();
}

SandboxBackend &SandboxSelector::backend(const std::string &name)
{
    std::lock_guard lock(m_mutex);
    auto &slot = m_backends[name];
    if (!slot) {
        if (name == "gvisor")
            slot = makeGvisorBackend();
        else if (name == "microvm")
            slot = makeMicroVmBackend(m_cacheDir);
        else
            slot = makeProcessBackend();
    }
    return *slot;
}

void SandboxSelector::startAutoProbe()
{
    if (m_default == "auto" && !m_autoProbe.joinable())
        m_autoProbe = std::thread([this] { resolveAuto(); });
}

std::string SandboxSelector::resolveAuto()
{
    std::lock_guard decide(m_autoMutex);
    {
        std::lock_guard lock(m_autoValueMutex);
        if (!m_autoChoice.empty())
            return m_autoChoice;
    }
    std::string choice = "process";
    std::string why;
    if (::access("/dev/kvm", R_OK | W_OK) != 0) {
        why = "no usable /dev/kvm";
    } else {
        // microvm only with hardware acceleration: under TCG every cold start costs a second.
        Availability vm = backend("microvm").probe();
        const bool kvm = vm.available && vm.detail.rfind("kvm", 0) == 0;
        choice = kvm ? "microvm" : "process";
        why = vm.available ? vm.detail : "microvm unavailable: " + vm.detail;
    }
    std::fprintf(stderr, "lambdesk: sandbox auto -> %s (%s)\n", choice.c_str(), why.c_str());
    std::lock_guard lock(m_autoValueMutex);
    m_autoChoice = choice;
    return m_autoChoice;
}

std::string SandboxSelector::resolvedName(const std::map<std::string, std::string> &tags)
{
    auto it = tags.find(kSandboxTag);
    std::string choice = it != tags.end() ? it->second : m_default;
    if (choice != "auto" && isBackendName(choice))
        return choice;
    std::lock_guard lock(m_autoValueMutex);
    return m_autoChoice.empty() ? std::string("auto") : m_autoChoice;
}

std::string SandboxSelector::resolvedDefault()
{
    return resolvedName({});
}

Result<SandboxBackend *> SandboxSelector::backendFor(const std::map<std::string, std::string> &tags)
{
    auto it = tags.find(kSandboxTag);
    std::string choice = it != tags.end() ? it->second : m_default;
    if (choice == "auto")
        choice = resolveAuto();
    if (!isBackendName(choice))
        return makeError(ErrorCode::InvalidParameter,
                         "tag lambdesk:sandbox must be auto, process, gvisor or microvm, not '" + choice + "'");
    SandboxBackend &chosen = backend(choice);
    Availability probe = chosen.probe();
    if (!probe.available)
        return makeError(ErrorCode::Unsupported, "sandbox '" + choice + "' is not available here: " + probe.detail);
    return &chosen;
}

std::vector<Availability> SandboxSelector::availability()
{
    std::vector<Availability> all;
    for (const char *name : {"process", "gvisor", "microvm"}) {
        Availability a = backend(name).probe();
        a.id = name;
        all.push_back(a);
    }
    return all;
}

void SandboxSelector::forgetProbes()
{
    std::vector<SandboxBackend *> backends;
    {
        std::lock_guard lock(m_mutex);
        for (auto &[name, backend] : m_backends)
            backends.push_back(backend.get());
    }
    for (SandboxBackend *backend : backends)
        backend->forgetProbe();
}

} // namespace lambdesk::engine
