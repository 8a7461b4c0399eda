#pragma once
// The blue/green/red message bar at the top of a page ("Successfully updated the function
// my-function."). One message at a time: the newest replaces the last.

#include <QFrame>

class QLabel;

namespace lambdesk::app {

class Flashbar : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Info, Success, Error, Warning };

    explicit Flashbar(QWidget *parent = nullptr);
    void showMessage(Kind kind, const QString &text);
    void clear();
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    QLabel *m_icon;
    QLabel *m_text;
    Kind m_kind = Kind::Info;
};

} // namespace lambdesk::app
