// Deploy's build: which code is built, the compilers' messages as diagnostics, and a real javac
// run in a tree (refused code leaves its message; good code leaves classes beside the sources).

#include "sandbox/codebuild.h"
#include "sandbox/runtimecatalog.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace lambdesk::engine {
namespace {
namespace fs = std::filesystem;

TEST(CodeBuild, BuildsJavaSourcesAndGoModulesOnly)
{
    EXPECT_EQ(buildKindFor("java17", {"src/main/java/a/B.java"}), BuildKind::Java);
    EXPECT_EQ(buildKindFor("java21", {"a/B.class", "lib/x.jar"}), BuildKind::None);
    EXPECT_EQ(buildKindFor("python3.11", {"B.java"}), BuildKind::None);
    EXPECT_EQ(buildKindFor("provided.al2023", {"go.mod", "main.go"}), BuildKind::Go);
    EXPECT_EQ(buildKindFor("provided.al2", {"cmd/go.mod", "bootstrap"}), BuildKind::None);
    EXPECT_EQ(buildKindFor("nodejs20.x", {"go.mod"}), BuildKind::None);
}

TEST(CodeBuild, ReadsJavacAndGoMessagesAsDiagnostics)
{
    const std::string javac = "Build failed (javac: exit status 1):\n"
                              "src/main/java/example/Hello.java:8: error: cannot find symbol\n"
                              "        return nam;\n"
                              "               ^\n"
                              "  symbol:   variable nam\n"
                              "example/Other.java:3: warning: [deprecation] old\n"
                              "1 error";
    const auto fromJavac = buildDiagnostics(javac);
    ASSERT_EQ(fromJavac.size(), 1u);
    EXPECT_EQ(fromJavac[0].path, "src/main/java/example/Hello.java");
    EXPECT_EQ(fromJavac[0].line, 8);
    EXPECT_EQ(fromJavac[0].column, 16) << "the caret's column";
    EXPECT_EQ(fromJavac[0].message, "cannot find symbol\nsymbol:   variable nam");

    const auto fromGo =
        buildDiagnostics("Build failed (go build: exit status 2):\n# example.com/hello\n"
                         "./version.go:3:17: undefined: missing\n"
                         "cmd/tool/main.go:12:2: \"fmt\" imported and not used\n");
    ASSERT_EQ(fromGo.size(), 2u);
    EXPECT_EQ(fromGo[0].path, "version.go");
    EXPECT_EQ(fromGo[0].line, 3);
    EXPECT_EQ(fromGo[0].column, 17);
    EXPECT_EQ(fromGo[0].message, "undefined: missing");
    EXPECT_EQ(fromGo[1].path, "cmd/tool/main.go");
    EXPECT_TRUE(buildDiagnostics("Function not found: arn:aws:lambda:...").empty());
}

class CodeBuildTree : public ::testing::Test {
protected:
    void SetUp() override
    {
        char pattern[] = "/tmp/lambdesk-codebuild-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        m_dir = pattern;
        fs::create_directories(tree());
    }
    void TearDown() override { fs::remove_all(m_dir); }
    fs::path tree() const { return m_dir / "tree"; }
    void write(const std::string &path, const std::string &text) const
    {
        fs::create_directories((tree() / path).parent_path());
        std::ofstream(tree() / path) << text;
    }

private:
    fs::path m_dir;
};

TEST_F(CodeBuildTree, CompilesJavaBesideItsSourcesOrSaysWhyNot)
{
    const RuntimeCatalog catalog(LAMBDESK_SOURCE_RUNTIME_DIR);
    const auto java = catalog.resolve("java17");
    if (!java)
        GTEST_SKIP() << "java17 cannot run here: " << java.error().message;
    write("src/example/Hello.java", "package example;\npublic class Hello {\n  int x = y;\n}\n");
    write("example/Stale.class", "old");
    auto refused =
        buildFunctionCode({tree(), *java, "x86_64", fs::path(::getenv("HOME")) / ".cache"});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidParameter);
    const auto diagnostics = buildDiagnostics(refused.error().message);
    ASSERT_EQ(diagnostics.size(), 1u) << refused.error().message;
    EXPECT_EQ(diagnostics[0].path, "src/example/Hello.java");
    EXPECT_EQ(diagnostics[0].line, 3);

    write("src/example/Hello.java", "package example;\npublic class Hello {\n  int x = 1;\n}\n");
    auto built =
        buildFunctionCode({tree(), *java, "x86_64", fs::path(::getenv("HOME")) / ".cache"});
    ASSERT_TRUE(built.ok()) << built.error().message;
    EXPECT_TRUE(fs::exists(tree() / "example" / "Hello.class"));
    EXPECT_FALSE(fs::exists(tree() / "example" / "Stale.class"));
}

TEST_F(CodeBuildTree, RefusesNamesJavacWouldReadAsOptionsAndSymbolicLinks)
{
    const RuntimeCatalog catalog(LAMBDESK_SOURCE_RUNTIME_DIR);
    const auto java = catalog.resolve("java17");
    if (!java)
        GTEST_SKIP() << "java17 cannot run here: " << java.error().message;
    const BuildRequest request{tree(), *java, "x86_64", fs::path(::getenv("HOME")) / ".cache"};
    write("a\" -d \"/tmp/x.java", "class A {}\n");
    auto refused = buildFunctionCode(request);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("javac cannot take the file name"), std::string::npos)
        << refused.error().message;
    fs::remove_all(tree());
    write("-Xplugin:P.java", "class A {}\n");
    EXPECT_FALSE(buildFunctionCode(request).ok());

    fs::remove_all(tree());
    write("A.java", "class A {}\n");
    fs::create_directory_symlink("/tmp", tree() / "out");
    refused = buildFunctionCode(request);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("symbolic link (out)"), std::string::npos)
        << refused.error().message;
}

} // namespace
} // namespace lambdesk::engine
