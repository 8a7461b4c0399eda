#pragma once
// The Function overview diagram: "+ Add trigger" → the function box (name, Layers (n)) →
// "+ Add destination". Triggers and destinations are not wired up locally, so their boxes only
// show what the blueprint suggested, if anything.

#include <QWidget>

namespace lambdesk::app {

class FunctionDiagram : public QWidget {
    Q_OBJECT
public:
    explicit FunctionDiagram(QWidget *parent = nullptr);
    void setFunction(const QString &name, int layerCount);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_name;
    int m_layers = 0;
};

} // namespace lambdesk::app
