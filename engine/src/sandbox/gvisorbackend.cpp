// The gVisor backend: written after the process backend (placeholder until then).

#include "sandbox/sandbox.h"

namespace lambdesk::engine {
namespace {

class GvisorBackend final : public SandboxBackend {
public:
    std::string name() const override { return "gvisor"; }
    Availability probe() override { return {"gvisor", false, "not implemented yet"}; }
    Result<std::unique_ptr<Sandbox>> start(const EnvironmentSpec &) override
    {
        return makeError(ErrorCode::Unsupported, "the gvisor sandbox is not implemented yet");
    }
};

} // namespace

std::unique_ptr<SandboxBackend> makeGvisorBackend()
{
    return std::make_unique<GvisorBackend>();
}

} // namespace lambdesk::engine
