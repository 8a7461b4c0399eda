#pragma once
// A folder that stands for an S3 bucket: its path (typed, or chosen with Browse…) and, below,
// the bucket it names or why it names none, by the engine's rule. Add trigger's S3 form and the
// Create function wizard's output bucket both pick folders with it.

#include <QWidget>

class QLabel;
class QLineEdit;

namespace lambdesk::app {

class FolderBucketField : public QWidget {
    Q_OBJECT
public:
    FolderBucketField(const QString &label, const QString &placeholder, QWidget *parent = nullptr);

    QLineEdit *edit() const { return m_edit; }
    QLabel *bucket() const { return m_bucket; }
    QString folder() const; // trimmed

private:
    void updateBucket();

    QLineEdit *m_edit;
    QLabel *m_bucket;
};

} // namespace lambdesk::app
