#pragma once
// One of the option cards across the top of Create function ("Author from scratch", ...):
// a radio with a bold title and a description, the whole card clickable.

#include <QFrame>

class QLabel;
class QRadioButton;

namespace lambdesk::app {

class OptionCard : public QFrame {
    Q_OBJECT
public:
    OptionCard(const QString &title, const QString &description, QWidget *parent = nullptr);
    QRadioButton *radio() const { return m_radio; }
    void setChecked(bool checked);
    bool isChecked() const;

signals:
    void chosen();

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateLook();
    QRadioButton *m_radio;
    QLabel *m_description;
};

} // namespace lambdesk::app
