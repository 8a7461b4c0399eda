#include "function/folderbucketfield.h"

#include "widgets/ui.h"

#include "lambdesk/engine/foldertrigger.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lambdesk::app {

FolderBucketField::FolderBucketField(const QString &label, const QString &placeholder,
                                     QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *pick = new QWidget(this);
    auto *pickRow = new QHBoxLayout(pick);
    pickRow->setContentsMargins(0, 0, 0, 0);
    m_edit = new QLineEdit(pick);
    m_edit->setPlaceholderText(placeholder);
    m_edit->setMinimumWidth(420);
    auto *browse = secondaryButton(QStringLiteral("Browse…"), pick);
    pickRow->addWidget(m_edit, 1);
    pickRow->addWidget(browse);
    layout->addWidget(fieldRow(label, pick, this));
    m_bucket = new QLabel(this);
    m_bucket->setWordWrap(true);
    layout->addWidget(m_bucket);
    connect(browse, &QPushButton::clicked, this, [this, label] {
        const QString chosen = QFileDialog::getExistingDirectory(this, label, folder());
        if (!chosen.isEmpty())
            m_edit->setText(chosen);
    });
    connect(m_edit, &QLineEdit::textChanged, this, &FolderBucketField::updateBucket);
    updateBucket();
}

QString FolderBucketField::folder() const
{
    return m_edit->text().trimmed();
}

void FolderBucketField::updateBucket()
{
    if (folder().isEmpty()) {
        m_bucket->setText(QStringLiteral("The bucket is named after the folder."));
        setInvalid(m_edit, false);
        return;
    }
    const auto bucket = engine::folderBucketName(folder().toStdString());
    m_bucket->setText(
        bucket ? QStringLiteral("Bucket: %1 (arn:aws:s3:::%1)").arg(QString::fromStdString(*bucket))
               : QString::fromStdString(bucket.error().message));
    setInvalid(m_edit, !bucket);
}

} // namespace lambdesk::app
