#pragma once
// A key/value table with "Add environment variable" / "Remove" and the rows' problems listed
// under it in red. Used for environment variables and tags.

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace lambdesk::app {

class KeyValueModel;

class KeyValueEditor : public QWidget {
    Q_OBJECT
public:
    KeyValueEditor(KeyValueModel *model, const QString &addText, QWidget *parent = nullptr);
    QTableView *table() const { return m_table; }
    QPushButton *addButton() const { return m_add; }
    bool hasProblems() const;
    void setReadOnly(bool readOnly);

private:
    void updateProblems();
    KeyValueModel *m_model;
    QTableView *m_table;
    QPushButton *m_add;
    QPushButton *m_remove;
    QLabel *m_problems;
};

} // namespace lambdesk::app
