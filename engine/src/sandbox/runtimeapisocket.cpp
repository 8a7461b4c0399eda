#include "sandbox/runtimeapisocket.h"
#include "common/random.h"

#include "sandbox/processspawner.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

namespace lambdesk::engine {

namespace fs = std::filesystem;

Result<fs::path> serveRuntimeApiOnUnixSocket(const fs::path &parent, const EnvironmentSpec &spec)
{
    if (!spec.serveRuntimeApi)
        return makeError(ErrorCode::ServiceError, "no Runtime API server to hand the socket to");
    // Others may pass through (gVisor's sandbox user connects by the full path) but not list.
    const auto passOnly = fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec;
    std::error_code ec;
    fs::create_directories(parent, ec);
    fs::permissions(parent, passOnly, ec);
    const fs::path dir = parent / common::randomHex(16);
    fs::create_directories(dir, ec);
    fs::permissions(dir, passOnly, ec);
    const fs::path path = dir / kRuntimeApiSocketName;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.string().size() >= sizeof address.sun_path)
        return makeError(ErrorCode::ServiceError, "socket path too long: " + path.string());
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    procsandbox::UniqueFd listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!listener.valid() ||
        ::bind(listener.get(), reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 ||
        ::listen(listener.get(), 16) != 0)
        return makeError(ErrorCode::ServiceError,
                         "cannot listen on " + path.string() + ": " + std::strerror(errno));
    // gVisor's sandbox user (sbx_user1051) connects through its view of the file.
    ::chmod(path.c_str(), 0666);
    if (auto served = spec.serveRuntimeApi(listener.release()); !served)
        return served.error();
    return dir;
}

} // namespace lambdesk::engine
