#pragma once
// Lambda > Functions: "Functions (N)", the keyword filter, the table, Actions ▾ → Delete and
// Create function. It loads and deletes through the engine; navigation is left to signals.

#include <QWidget>

class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;
class QAction;

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class Flashbar;
class FunctionListModel;
class FunctionFilterProxy;
class Panel;

class FunctionListPage : public QWidget {
    Q_OBJECT
public:
    FunctionListPage(engine::Engine &engine, QWidget *parent = nullptr);

    void refresh();
    void showFlash(int kind, const QString &text); // kind: Flashbar::Kind
    bool isLoaded() const { return m_loaded; }
    // Deletes without the dialog (the dialog's Delete calls this too).
    void deleteFunction(const QString &name);

    FunctionListModel *model() const { return m_model; }
    FunctionFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QLineEdit *filter() const { return m_filter; }
    Flashbar *flashbar() const { return m_flash; }

signals:
    void createRequested();
    void functionActivated(const QString &name);
    void loaded();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QString selectedName() const;
    void confirmDelete();
    void updateCount();

    engine::Engine &m_engine;
    Flashbar *m_flash;
    Panel *m_panel;
    QLineEdit *m_filter;
    QTableView *m_table;
    FunctionListModel *m_model;
    FunctionFilterProxy *m_proxy;
    QLabel *m_empty;
    QAction *m_deleteAction;
    QAction *m_openAction;
    bool m_loaded = false;
    bool m_refreshing = false;
    bool m_refreshAgain = false; // a refresh asked for while one was in flight
};

} // namespace lambdesk::app
