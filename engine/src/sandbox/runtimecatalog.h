#pragma once
// Maps Lambda runtime ids to what this machine has: python3.x -> /usr/bin/python3.x,
// nodejsNN.x -> node whose major version is NN, rubyX.Y and javaNN -> the newest Ruby and JDK
// installed (named as a stand-in when older), provided.al2/al2023 -> the function's bootstrap.

#include "lambdesk/engine/result.h"
#include "lambdesk/engine/types.h"
#include "sandbox/sandbox.h"

#include <filesystem>
#include <string>
#include <vector>

namespace lambdesk::engine {

class RuntimeCatalog {
public:
    // runtimeDir holds our bootstraps: python/bootstrap.py, node/bootstrap.js, ... The Java
    // runtime's jars are built: runtimeDir/java when installed, else the build tree's.
    explicit RuntimeCatalog(std::filesystem::path runtimeDir);

    // InvalidParameter for an id Lambda does not have; Unsupported, naming what is available,
    // for a known id this machine cannot run.
    Result<RuntimeInfo> resolve(const std::string &runtimeId) const;
    std::vector<Availability> all() const; // every known id, available first

    // The bootstrap dir: explicit option, else next to the binary (../share/lambdesk/runtimes),
    // else the source tree.
    static std::filesystem::path locateRuntimeDir();

private:
    void addJava(std::vector<Availability> &missing);

    std::filesystem::path m_runtimeDir;
    std::vector<Availability> m_all;
    std::vector<RuntimeInfo> m_available;
};

// The interpreter's options between its path and our bootstrap, as Lambda starts each runtime
// (the JVM's heap sized from the function's memory, V8's old generation below it, ...).
std::vector<std::string> interpreterOptions(const RuntimeInfo &runtime, int memoryMb);

// A JDK's feature version (17 for 17.0.15) from its `release` file, by its bin/java; 0 if unknown.
int jdkFeatureVersion(const std::filesystem::path &java);
// The Java version a runtime id asks for: 17 for "java17".
int javaFeatureVersion(const std::string &runtimeId);

// The API jar a Java function compiles against (com.amazonaws.services.lambda.runtime.*,
// org.crac), beside the runtime's own jar.
std::filesystem::path javaApiJar(const RuntimeInfo &runtime);

} // namespace lambdesk::engine
