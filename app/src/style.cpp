#include "style.h"

#include <QApplication>
#include <QFile>
#include <QFont>
#include <QPalette>
#include <QStyleFactory>

// Q_INIT_RESOURCE must be used at global scope (it declares an extern "C++" function).
static void initLambdeskResources()
{
    Q_INIT_RESOURCE(lambdesk);
}

namespace lambdesk::app {

void initResources()
{
    initLambdeskResources();
}

void applyStyle(QApplication &application)
{
    application.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette palette = application.palette();
    palette.setColor(QPalette::Window, QColor(0xf2, 0xf3, 0xf3));
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::Text, QColor(0x16, 0x19, 0x1f));
    palette.setColor(QPalette::WindowText, QColor(0x16, 0x19, 0x1f));
    palette.setColor(QPalette::Highlight, QColor(0x00, 0x73, 0xbb));
    palette.setColor(QPalette::Link, QColor(0x00, 0x73, 0xbb));
    application.setPalette(palette);
    application.setFont(QFont(QStringLiteral("DejaVu Sans"), 9));

    QFile sheet(QStringLiteral(":/style/lambdesk.qss"));
    if (sheet.open(QIODevice::ReadOnly))
        application.setStyleSheet(QString::fromUtf8(sheet.readAll()));
}

} // namespace lambdesk::app
