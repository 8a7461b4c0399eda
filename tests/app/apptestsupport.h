#pragma once
// Shared helpers for the console tests: an in-process engine on a temporary data dir, and
// lookups of widgets the screens do not expose.

#include "async.h"
#include "style.h"

#include "lambdesk/engine/engine.h"

#include <QApplication>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

#include <memory>

namespace lambdesk::app::testing {

// The engine, started on a fresh temporary directory with the process sandbox (quick to start
// and available on every CI host); shut down after every pooled call has finished.
class TestEngine {
public:
    // routingSeed: a weighted alias's draws repeat from run to run.
    explicit TestEngine(std::optional<std::uint64_t> routingSeed = {})
    {
        engine::EngineOptions options;
        options.dataDir = m_dir.path().toStdString();
        options.defaultSandbox = "process";
        options.routingSeed = routingSeed;
        auto opened = engine::Engine::open(options);
        if (opened)
            m_engine = std::move(opened.value());
        else
            m_error = QString::fromStdString(opened.error().message);
    }
    ~TestEngine()
    {
        enginePool()->waitForDone();
        m_engine.reset();
    }
    bool ok() const { return m_engine != nullptr; }
    QString error() const { return m_error; }
    engine::Engine &engine() { return *m_engine; }
    QString dataDir() const { return m_dir.path(); }

    // The newest available runtime of a family ("python", "nodejs"), or empty.
    std::string runtimeLike(const std::string &prefix)
    {
        for (const engine::Availability &runtime : m_engine->runtimes())
            if (runtime.available && runtime.id.rfind(prefix, 0) == 0)
                return runtime.id;
        return {};
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<engine::Engine> m_engine;
    QString m_error;
};

// The QsciScintilla editor widget inside a CodeView's container (found by class name, so the
// tests need no QScintilla headers).
inline QWidget *scintillaIn(QWidget *container)
{
    if (container && QString::fromLatin1(container->metaObject()->className()).startsWith(QLatin1String("Qsci")))
        return container;
    for (QWidget *child : container->findChildren<QWidget *>()) {
        if (QString::fromLatin1(child->metaObject()->className()) == QLatin1String("QsciScintilla"))
            return child;
    }
    return nullptr;
}

// Types text into an editor at the start of the document, as a user would.
inline void typeAtStart(QWidget *editorWidget, const QString &text)
{
    editorWidget->setFocus();
    QTest::keyClick(editorWidget, Qt::Key_Home, Qt::ControlModifier);
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        if (i > 0)
            QTest::keyClick(editorWidget, Qt::Key_Return); // keyClicks() has no key for '\n'
        QTest::keyClicks(editorWidget, lines[i]);
    }
}

inline void prepareApplication()
{
    initResources();
    applyStyle(*qApp);
}

} // namespace lambdesk::app::testing
