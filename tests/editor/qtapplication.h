#pragma once
// gtest_main owns main(), so a global test environment creates the QApplication that widgets
// need. Include from exactly one file per test executable.

#include <QApplication>
#include <QTest>
#include <QWidget>

#include <gtest/gtest.h>

#include <memory>

namespace lambdesk::editor::test {

class QtApplicationEnvironment : public ::testing::Environment {
public:
    void SetUp() override
    {
        // CTest sets this; running the binary by hand should not need a display either.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        static int argc = 1;
        static char name[] = "editor_test";
        static char *argv[] = {name, nullptr};
        m_app = std::make_unique<QApplication>(argc, argv);
    }
    void TearDown() override { m_app.reset(); }

private:
    std::unique_ptr<QApplication> m_app;
};

// gtest owns the environment.
inline ::testing::Environment *const kQtEnvironment =
    ::testing::AddGlobalTestEnvironment(new QtApplicationEnvironment);

// The QsciScintilla inside a view, reached by object name so tests need no Qsci header.
inline QWidget *editorWidget(QWidget *viewWidget)
{
    return viewWidget->findChild<QWidget *>(QStringLiteral("codeEditor"));
}

// QTest::keyClicks asserts on '\n'; this presses Return for it, as a user would.
inline void typeText(QWidget *widget, const QString &text)
{
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            QTest::keyClick(widget, Qt::Key_Return);
        QTest::keyClicks(widget, lines.at(i));
    }
}

} // namespace lambdesk::editor::test
