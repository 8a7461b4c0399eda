#pragma once
// The runtime process lambdesk-init looks after: either spawned on Start, or started early as a
// zygote (on Prepare, during the snapshot boot) that becomes the runtime when Start hands it the
// same fields. Owns the runtime's output pipe and the zygote's pipes.

#include "microvmprotocol.h"

#include <string>
#include <sys/types.h>

namespace lambdesk::guest {

class RuntimeProcess {
public:
    RuntimeProcess() = default;
    ~RuntimeProcess();
    RuntimeProcess(const RuntimeProcess &) = delete;
    RuntimeProcess &operator=(const RuntimeProcess &) = delete;

    // Starts the zygote: argv/env/uid/gid from fields; it preloads, reports on readyFd(), then
    // waits for its Start. Returns an error message or "".
    std::string prepare(const engine::microvm::Fields &fields);
    // Starts the runtime: hands `payload` (the encoded Start fields) to a waiting zygote, else
    // spawns fields' argv in cwd. Returns an error message or "".
    std::string start(const engine::microvm::Fields &fields, const std::string &payload);

    pid_t pid() const { return m_pid; }
    int outputFd() const { return m_output; } // non-blocking read end; -1 once drained to EOF
    void closeOutput();
    int readyFd() const { return m_zygoteReady; } // -1 unless a zygote is preloading
    // Consumes the zygote's ready byte; false if it died instead.
    bool takeReady();
    // After the runtime was SIGKILLed: whether the kernel's OOM killer did it.
    bool killedByOom() const;

private:
    std::string launch(struct SpawnRequest &request);

    pid_t m_pid = 0;
    int m_output = -1;
    int m_zygoteStart = -1; // write end of the zygote's Start pipe until Start
    int m_zygoteReady = -1; // read end of its ready pipe until it reports
    int m_kernelLog = -1;   // /dev/kmsg from the launch on: OOM kills show up there
};

} // namespace lambdesk::guest
