// Java through the console as a user works with it: the wizard's Java starter is compiled at
// create, an edit that does not compile is refused at Deploy with the compiler's errors marked
// in the editor (the previous code still runs), the fix deploys and the Test tab runs it.

#include "apptestsupport.h"

#include "function/codetab.h"
#include "function/executionresult.h"
#include "function/functionpage.h"
#include "function/testtab.h"
#include "mainwindow.h"
#include "screens/createfunctionpage.h"
#include "screens/functionsettingsform.h"
#include "widgets/flashbar.h"

#include "lambdesk/editor/codedocument.h"
#include "lambdesk/editor/codeworkspace.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {
constexpr int kTimeout = 120'000; // javac and a JVM's first start

bool hasFile(const editor::CodeWorkspace &workspace, const QString &path)
{
    for (const editor::EditorFile &file : workspace.files()) {
        if (file.path == path)
            return true;
    }
    return false;
}
} // namespace

class CompiledCodeTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { testing::prepareApplication(); }
    void javaCompilesOnDeployWithErrorsAtTheirLines();
};

void CompiledCodeTest::javaCompilesOnDeployWithErrorsAtTheirLines()
{
    testing::TestEngine host;
    QVERIFY2(host.ok(), qPrintable(host.error()));
    if (host.runtimeLike("java17").empty())
        QSKIP("java17 cannot run on this machine");
    MainWindow window(host.engine(), QString());
    window.resize(1280, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    window.showCreateFunction();
    CreateFunctionPage *wizard = window.createFunctionPage();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), kTimeout);
    wizard->form()->selectRuntime(QStringLiteral("java17"));
    QTest::keyClicks(wizard->form()->nameEdit(), QStringLiteral("hello-java"));
    QTest::mouseClick(wizard->createButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window.functionPage() && window.functionPage()->isLoaded(), kTimeout);
    FunctionPage *page = window.functionPage();
    QCOMPARE(page->function().config.handler, std::string("example.Hello::handleRequest"));

    // The handler's source is open; the class the create compiled sits in the tree.
    CodeTab *code = page->codeTab();
    QTRY_VERIFY_WITH_TIMEOUT(code->isLoaded(), kTimeout);
    editor::CodeWorkspace *workspace = code->workspace();
    QCOMPARE(workspace->currentFile(), QStringLiteral("src/main/java/example/Hello.java"));
    QVERIFY(hasFile(*workspace, QStringLiteral("example/Hello.class")));

    // Line 1 no longer compiles: Deploy says so, the error is marked, the cursor is on it.
    QWidget *editor = testing::scintillaIn(workspace->currentView()->widget());
    testing::typeAtStart(editor, QStringLiteral("broken\n"));
    QTest::mouseClick(code->deployButton(), Qt::LeftButton);
    QCOMPARE(code->deployButton()->text(), QStringLiteral("Building..."));
    QTRY_VERIFY_WITH_TIMEOUT(code->deployError()->isVisibleTo(page), kTimeout);
    const QString banner = code->deployError()->text();
    QVERIFY2(banner.contains(QStringLiteral("Build failed")), qPrintable(banner));
    QVERIFY2(banner.contains(QStringLiteral("src/main/java/example/Hello.java:1: ")),
             qPrintable(banner));
    QCOMPARE(workspace->currentView()->cursorLine(), 1);
    QVERIFY(workspace->isModified());

    // Remove the line again (and the class, as a user tidying up might): it deploys, the class
    // the build made is shown again, the Test tab runs it.
    QVERIFY(workspace->removePath(QStringLiteral("example/Hello.class")));
    QVERIFY(workspace->openFile(QStringLiteral("src/main/java/example/Hello.java")));
    editor = testing::scintillaIn(workspace->currentView()->widget());
    editor->setFocus();
    QTest::keyClick(editor, Qt::Key_Home, Qt::ControlModifier);
    for (int i = 0; i < 7; ++i)
        QTest::keyClick(editor, Qt::Key_Delete);
    QTest::mouseClick(code->deployButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(page->flashbar()->text() ==
                                 QStringLiteral("Successfully updated the function hello-java."),
                             kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(code->isLoaded() && !workspace->isModified(), kTimeout);
    QVERIFY(code->deployError()->isHidden());
    QVERIFY(hasFile(*workspace, QStringLiteral("example/Hello.class")));

    page->showTab(FunctionPage::Tab::Test);
    TestTab *test = page->testTab();
    QTRY_VERIFY_WITH_TIMEOUT(test->isLoaded(), kTimeout);
    QTest::mouseClick(test->testButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!test->isRunning(), kTimeout);
    ExecutionResult *result = test->result();
    QVERIFY2(result->succeeded(),
             qPrintable(result->title() + QLatin1Char('\n') + result->logOutput()));
    QVERIFY2(result->response().contains(QStringLiteral("Hello from Lambda!")),
             qPrintable(result->response()));
}

QTEST_MAIN(CompiledCodeTest)
#include "compiledcode_test.moc"
