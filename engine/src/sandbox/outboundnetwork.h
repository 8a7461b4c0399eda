#pragma once
// Outbound network for a sandbox's own network namespace: slirp4netns, with the host's loopback
// refused (its gateway 10.0.2.2 leads nowhere), as a Lambda function outside a VPC reaches the
// internet and nothing else of its host; slirp4netns itself runs confined (--enable-sandbox,
// --enable-seccomp). Shared by the process, gVisor and microVM backends.
// Private to engine/src/sandbox.

#include "lambdesk/engine/result.h"
#include "sandbox/processspawner.h"

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

namespace lambdesk::engine::procsandbox {

class SupervisedTree;

// An absolute path to `name` in the usual bin directories or $PATH; empty when missing.
std::string findProgram(const std::string &name);

// Blocks until `pid` lives in a network namespace other than the engine's (it unshared one), or
// the deadline passes or it exits: false then.
bool waitForOwnNetworkNamespace(pid_t pid, std::chrono::steady_clock::time_point deadline);

// slirp4netns serving tap0 (10.0.2.100/24, default route, DNS 10.0.2.3) in the namespace of
// `namespaceMember`, returned once configured. Killing the tree takes the network away.
Result<std::shared_ptr<SupervisedTree>> attachOutboundNetwork(pid_t namespaceMember);

// A process that does nothing but hold a new network namespace (for runsc, which joins a
// namespace by path: /proc/PID/ns/net of the holder), with outbound network attached.
struct HeldNetwork {
    std::shared_ptr<SupervisedTree> holder;
    std::shared_ptr<SupervisedTree> network;
    std::shared_ptr<UniqueFd> namespaceFd; // the namespace itself, checked not to be the engine's
    void kill();
};
Result<HeldNetwork> holdOutboundNetwork();

} // namespace lambdesk::engine::procsandbox
