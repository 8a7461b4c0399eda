#pragma once
// The two `aws configure set ... --profile lambdesk` lines of an engine under --auth verify, one
// command per line (never wrapped, so that a copy pastes as it runs), with a Copy button.

#include <QDialog>
#include <QStringList>

namespace lambdesk::app {

class CredentialsDialog : public QDialog {
    Q_OBJECT
public:
    CredentialsDialog(const QStringList &configureLines, QWidget *parent);
};

} // namespace lambdesk::app
