#pragma once
// A question in the console's own style, not a platform message box: a bold title, the
// explanation, optionally a text field ("Version description"), Cancel and an orange button
// that names the action ("Throttle", "Publish").

#include <QDialog>

class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace lambdesk::app {

class ConfirmDialog : public QDialog {
    Q_OBJECT
public:
    ConfirmDialog(const QString &title, const QString &text, const QString &confirmText,
                  QWidget *parent = nullptr);

    // A labelled single-line field above the buttons; returns it for reading after exec().
    QLineEdit *addField(const QString &label, const QString &hint = {});
    QPushButton *confirmButton() const { return m_confirm; }

    // Asks modally; true when the user chose confirmText.
    static bool ask(QWidget *parent, const QString &title, const QString &text,
                    const QString &confirmText);

private:
    QVBoxLayout *m_fields;
    QPushButton *m_confirm;
};

} // namespace lambdesk::app
