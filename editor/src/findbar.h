#pragma once
// The find/replace strip shown under a code view (Ctrl+F). It only collects input and shows the
// match count; CodeView does the searching.

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace lambdesk::editor::detail {

class FindBar : public QWidget {
    Q_OBJECT
public:
    explicit FindBar(QWidget *parent = nullptr);

    QString findText() const;
    QString replaceText() const;
    bool isCaseSensitive() const;
    void activate(const QString &seed); // show, fill with seed if non-empty, focus the find field
    void setMatchInfo(int current, int total); // current is 1-based, 0 when not on a match

signals:
    void findRequested(bool forward);
    void replaceRequested();
    void replaceAllRequested();
    void searchChanged(); // the text or the case option changed: highlight again
    void closed();

private:
    QLineEdit *m_find = nullptr;
    QLineEdit *m_replace = nullptr;
    QCheckBox *m_matchCase = nullptr;
    QLabel *m_count = nullptr;
};

} // namespace lambdesk::editor::detail
