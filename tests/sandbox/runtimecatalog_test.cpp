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
        EXPECT_EQ(info->bootstrap.parent_path().parent_path(), std::filesystem::path(LAMBDESK_SOURCE_RUNTIME_DIR));
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
    auto info = sourceCatalog().resolve("java21");
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().code, ErrorCode::Unsupported);
    EXPECT_NE(info.error().message.find("available: "), std::string::npos);
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
