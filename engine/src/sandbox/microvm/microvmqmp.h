#pragma once
// A minimal QMP (QEMU Machine Protocol) client over an already connected socket. Only the snapshot
// path needs it (migrate, query-migrate), so it is synchronous: one command at a time, with a
// deadline, skipping asynchronous events.

#include "lambdesk/engine/result.h"

#include <nlohmann/json.hpp>
#include <string>

namespace lambdesk::engine {

class MicroVmQmp {
public:
    // Takes ownership of fd (one end of the socket QEMU's monitor chardev uses).
    explicit MicroVmQmp(int fd);
    ~MicroVmQmp();
    MicroVmQmp(const MicroVmQmp &) = delete;
    MicroVmQmp &operator=(const MicroVmQmp &) = delete;

    // Reads the greeting and leaves capabilities negotiation mode.
    Result<void> handshake(int timeoutMs);
    // Runs one command; returns its "return" value, or the QMP error as a ServiceError.
    Result<nlohmann::json> execute(const std::string &command, const nlohmann::json &arguments,
                                   int timeoutMs);

private:
    Result<nlohmann::json> readMessage(int timeoutMs);

    int m_fd;
    std::string m_buffer;
};

} // namespace lambdesk::engine
