#pragma once
// Small factories for the console's recurring widgets; the stylesheet keys on the object names
// and properties they set.

#include <QString>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QToolButton;
class QWidget;
class QMenu;

namespace lambdesk::app {

QPushButton *primaryButton(const QString &text, QWidget *parent = nullptr);   // orange
QPushButton *secondaryButton(const QString &text, QWidget *parent = nullptr); // white, grey border
QPushButton *linkButton(const QString &text, QWidget *parent = nullptr);      // blue text
// A white button with a ▾ that opens menu ("Actions ▾", "Upload from ▾"); the menu is parented.
QToolButton *menuButton(const QString &text, QMenu *menu, QWidget *parent = nullptr);
// A label with an object name the stylesheet knows: pageTitle, panelTitle, fieldLabel, hint,
// errorText, valueText.
QLabel *styledLabel(const QString &text, const char *objectName, QWidget *parent = nullptr);
// A form hint (grey, small) that wraps, so forms reflow in a narrow window.
QLabel *hintLabel(const QString &text, QWidget *parent);
// A form field under its label, in a row widget of its own (hide the row to hide both); the
// field is reparented.
QWidget *fieldRow(const QString &label, QWidget *field, QWidget *parent);
// The red message under a form, hidden until there is something to say.
QLabel *inlineErrorLabel(QWidget *parent);
// A form's last row: the "Cancel" link and the orange button that confirms, on the right.
struct FormButtons {
    QHBoxLayout *row;
    QPushButton *cancel;
    QPushButton *confirm;
};
FormButtons formButtons(const QString &confirmText, QWidget *parent);
// Re-evaluates the stylesheet after a dynamic property used by a selector changed.
void repolish(QWidget *widget);
// Scrolls the page holding `widget` until it shows (a form opened below a table, say).
void revealInScrollArea(QWidget *widget);
void setInvalid(QWidget *widget, bool invalid);

} // namespace lambdesk::app
