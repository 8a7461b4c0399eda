#pragma once
// The code editor component. A CodeDocument holds one file's text and state; views display it.
// No QScintilla type appears in this header (see STYLE.md section 3).

#include <QList>
#include <QObject>
#include <QString>
#include <memory>

class QWidget;

namespace lambdesk::editor {

enum class Language { PlainText, Python, JavaScript, Ruby, Java, Go, Json, Shell, Yaml, Markdown };

// A problem the host found in a document (for example a JSON parse error in a test event).
// line and column are 1-based; column 0 marks the whole line.
struct Diagnostic {
    int line = 1;
    int column = 0;
    QString message;
};

// Picks the lexer from a file name ("app.py", "index.mjs", "event.json", "bootstrap").
Language languageForFileName(const QString &fileName);

class CodeDocument : public QObject {
    Q_OBJECT
public:
    explicit CodeDocument(QObject *parent = nullptr);
    ~CodeDocument() override;

    QString text() const;
    void setText(const QString &text);          // replaces the text; marks unmodified
    Language language() const;
    void setLanguage(Language language);
    QString fileName() const;                    // relative path in the function's code
    void setFileName(const QString &fileName);
    bool isModified() const;                     // differs from the last setText/markSaved
    void markSaved();

signals:
    void textChanged();
    void modifiedChanged(bool modified);
    void languageChanged(Language language);

private:
    friend class CodeView;
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// A view on a CodeDocument: syntax highlight, line numbers, bracket matching, auto-indent,
// find/replace bar. Several views may share one document.
class CodeView : public QObject {
    Q_OBJECT
public:
    // Creates the view widget as a child of parent; the returned object is owned by the widget.
    static CodeView *create(CodeDocument *document, QWidget *parent);
    ~CodeView() override;

    QWidget *widget() const;
    CodeDocument *document() const;
    void setReadOnly(bool readOnly);
    void showFind();                              // opens the find/replace bar (Ctrl+F)
    bool findNext(const QString &text, bool caseSensitive = false);
    int replaceAll(const QString &text, const QString &replacement, bool caseSensitive = false);
    void goToLine(int line);                      // 1-based
    int cursorLine() const;                       // 1-based
    // Marks each diagnostic's line (margin marker, squiggle from its column, message shown under
    // the line). Replaces the previous set; an empty list clears them. Lines past the end are
    // clamped to the last line. Diagnostics live in the document, so every view shows them.
    void setDiagnostics(const QList<Diagnostic> &diagnostics);

signals:
    void cursorMoved(int line, int column);

private:
    CodeView(CodeDocument *document, QWidget *parent);
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace lambdesk::editor
