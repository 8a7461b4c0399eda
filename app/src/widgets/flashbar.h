#pragma once
// The blue/green/red message bar at the top of a page ("Successfully updated the function
// my-function."). One message at a time: the newest replaces the last. A page keeps a second,
// non-dismissible bar for a lasting state (a throttled function), with an action button.

#include <QFrame>

class QLabel;
class QPushButton;

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
    // A lasting state rather than a message: no dismiss button.
    void setDismissible(bool dismissible);
    // A button at the right end ("Unthrottle"); clicking it emits actionTriggered.
    void setAction(const QString &text);

    // The icon drawn for kind (a circled i, a tick, a cross, a triangle): painted, so it needs
    // no symbol glyph in the user's fonts.
    static QPixmap icon(Kind kind, const QColor &color, int size, qreal devicePixelRatio);

signals:
    void actionTriggered();

private:
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_action;
    QPushButton *m_dismiss;
    Kind m_kind = Kind::Info;
};

} // namespace lambdesk::app
