// The runtime catalog: Lambda ids mapped to this machine's interpreters, with AWS-like errors.

#include "sandbox/runtimecatalog.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace lambdesk::engine {
namespace {

RuntimeCatalog sourceCatalog()
{
    return RuntimeCatalog(LAMBDESK_SOURCE_RUNTIME_DIR);
}

TEST(RuntimeCatalog, ResolvesEveryRuntimeItListsAsAvailable)
{
    const auto catalog = sourceCatalog();
    int available = 0;
    for (const auto &runtime : catalog.all()) {
        if (!runtime.available)
            continue;
        ++available;
        auto info = catalog.resolve(runtime.id);
        ASSERT_TRUE(info.ok()) << runtime.id << ": " << info.error().message;
        EXPECT_EQ(info->id, runtime.id);
        if (info->kind == RuntimeKind::Provided) {
            EXPECT_TRUE(info->interpreter.empty());
            continue;
        }
        EXPECT_TRUE(std::filesystem::exists(info->interpreter)) << info->interpreter;
        EXPECT_EQ(info->interpreter.string().rfind("/usr/", 0), 0u) << "outside /usr: " << info->interpreter;
        EXPECT_TRUE(std::filesystem::exists(info->bootstrap)) << info->bootstrap;
        // Scripts come from the source tree, the Java runtime's jars from the build tree.
        EXPECT_EQ(info->bootstrap.parent_path().parent_path(),
                  std::filesystem::path(info->kind == RuntimeKind::Java
                                            ? LAMBDESK_BUILD_RUNTIME_DIR
                                            : LAMBDESK_SOURCE_RUNTIME_DIR));
    }
    EXPECT_GE(available, 3); // provided.al2023, provided.al2, provided at least
}

TEST(RuntimeCatalog, ListsAvailableRuntimesFirst)
{
    const auto all = sourceCatalog().all();
    bool seenUnavailable = false;
    for (const auto &runtime : all) {
        if (!runtime.available)
            seenUnavailable = true;
        else
            EXPECT_FALSE(seenUnavailable) << runtime.id << " listed after an unavailable runtime";
        EXPECT_FALSE(runtime.detail.empty()) << runtime.id;
    }
    EXPECT_TRUE(seenUnavailable); // java and friends at least
}

TEST(RuntimeCatalog, ResolvesProvidedRuntimes)
{
    const auto catalog = sourceCatalog();
    for (const char *id : {"provided.al2023", "provided.al2", "provided"}) {
        auto info = catalog.resolve(id);
        ASSERT_TRUE(info.ok()) << id;
        EXPECT_EQ(info->kind, RuntimeKind::Provided);
    }
}

TEST(RuntimeCatalog, RejectsAnUnknownIdListingValidValues)
{
    auto info = sourceCatalog().resolve("cobol85");
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().code, ErrorCode::InvalidParameter);
    EXPECT_NE(info.error().message.find("Value 'cobol85' at 'runtime' failed to satisfy constraint"), std::string::npos);
    EXPECT_NE(info.error().message.find("python3.12"), std::string::npos);
    EXPECT_NE(info.error().message.find("nodejs20.x"), std::string::npos);
}

TEST(RuntimeCatalog, RejectsDeprecatedRuntimesLikeLambda)
{
    auto info = sourceCatalog().resolve("python2.7");
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().code, ErrorCode::InvalidParameter);
    EXPECT_NE(info.error().message.find("no longer supported"), std::string::npos);
}

TEST(RuntimeCatalog, NamesWhatIsAvailableForAMissingRuntime)
{
    const auto catalog = sourceCatalog();
    for (const auto &runtime : catalog.all()) {
        if (runtime.available || runtime.id.rfind("python3.", 0) != 0)
            continue;
        auto info = catalog.resolve(runtime.id);
        ASSERT_FALSE(info.ok());
        EXPECT_EQ(info.error().code, ErrorCode::Unsupported);
        EXPECT_EQ(info.error().message.rfind("Runtime " + runtime.id + " is not available on this machine; available: ", 0), 0u)
            << info.error().message;
        EXPECT_NE(info.error().message.find("provided.al2023, provided.al2"), std::string::npos);
        return;
    }
    GTEST_SKIP() << "every python3.x Lambda knows is installed here";
}

TEST(RuntimeCatalog, ExplainsUnsupportedFamilies)
{
    const auto catalog = sourceCatalog();
    auto info = catalog.resolve("dotnet8");
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().code, ErrorCode::Unsupported);
    EXPECT_NE(info.error().message.find("available: "), std::string::npos);
    for (const auto &runtime : catalog.all()) {
        if (runtime.id == "dotnet8") {
            EXPECT_NE(runtime.detail.find("not in Debian 12's archive"), std::string::npos)
                << runtime.detail;
        }
    }
}

TEST(RuntimeCatalog, ServesEveryJavaIdFromAnInstalledJdkSayingWhichStandsIn)
{
    const auto catalog = sourceCatalog();
    for (const auto &runtime : catalog.all()) {
        if (runtime.id != "java11" && runtime.id != "java17" && runtime.id != "java21")
            continue;
        if (!runtime.available)
            GTEST_SKIP() << runtime.id << ": " << runtime.detail;
        EXPECT_NE(runtime.detail.find("(OpenJDK "), std::string::npos) << runtime.detail;
        const auto info = catalog.resolve(runtime.id);
        ASSERT_TRUE(info.ok());
        EXPECT_EQ(info->kind, RuntimeKind::Java);
        const std::string home = info->interpreter.parent_path().parent_path().filename().string();
        EXPECT_EQ(home.rfind("java-", 0), 0u) << "not Debian's JDK: " << info->interpreter;
        // A JDK older than the id asked for says it stands in; an exact or newer one does not.
        const int served = std::atoi(home.c_str() + 5);
        const int asked = std::atoi(runtime.id.c_str() + 4);
        EXPECT_EQ(runtime.detail.find("stands in for Java") != std::string::npos, served < asked)
            << runtime.detail;
        EXPECT_TRUE(std::filesystem::exists(javaApiJar(*info))) << javaApiJar(*info);
    }
}

TEST(RuntimeCatalog, SizesTheJavaHeapAsLambdaDoes)
{
    RuntimeInfo java{"java17", RuntimeKind::Java, "/usr/bin/java", "/x/java/runtime.jar"};
    auto heap = [&](int memoryMb) {
        for (const auto &option : interpreterOptions(java, memoryMb))
            if (option.rfind("-XX:MaxHeapSize=", 0) == 0)
                return option.substr(16);
        return std::string();
    };
    // What Lambda's java17 runtime passes: 85% up to 1 GB, the memory less 243 MB above it.
    EXPECT_EQ(heap(128), "111412k");
    EXPECT_EQ(heap(512), "445645k");
    EXPECT_EQ(heap(1024), "891290k");
    EXPECT_EQ(heap(2048), "1848320k");
    EXPECT_LT(std::stoi(heap(1024)), std::stoi(heap(1025))) << "no drop past 1 GB";
    EXPECT_EQ(interpreterOptions(java, 512).back(), "-jar");
}

TEST(RuntimeCatalog, LocatesTheRuntimeDirFromTheEnvironmentFirst)
{
    ::setenv("LAMBDESK_RUNTIME_DIR", "/some/where", 1);
    EXPECT_EQ(RuntimeCatalog::locateRuntimeDir(), std::filesystem::path("/some/where"));
    ::unsetenv("LAMBDESK_RUNTIME_DIR");
    // A test binary has no ../share/lambdesk/runtimes next to it: the source tree.
    EXPECT_EQ(RuntimeCatalog::locateRuntimeDir(), std::filesystem::path(LAMBDESK_SOURCE_RUNTIME_DIR));
}

} // namespace
} // namespace lambdesk::engine
