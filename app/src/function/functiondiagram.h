#pragma once
// The Function overview diagram: the triggers (one box per kind, with a count) and "+ Add
// trigger" → the function box (name, Layers (n)) → the destinations ("On success: SQS")
// and "+ Add destination". Every box is a link: clicking it asks the page to show where that is
// managed, or to open the form.

#include <QWidget>

namespace lambdesk::app {

class FunctionDiagram : public QWidget {
    Q_OBJECT
public:
    explicit FunctionDiagram(QWidget *parent = nullptr);
    void setFunction(const QString &name, int layerCount);
    // One label per trigger ("EventBridge (CloudWatch Events)", "Function URL"), repeats allowed.
    void setTriggers(const QStringList &labels);
    QStringList triggerBoxes() const; // what the boxes read, top to bottom
    // Where each link is, for tests and for the clicks: the trigger boxes, then "+ Add trigger".
    QList<QRect> triggerRects() const;
    QRect addTriggerRect() const;
    // One label per destination ("On failure: Lambda"); then "+ Add destination".
    void setDestinations(const QStringList &labels);
    QStringList destinationBoxes() const { return m_destinations; }
    QList<QRect> destinationRects() const; // the destinations, then "+ Add destination"
    QRect addDestinationRect() const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void addTriggerClicked();
    void triggerClicked(const QString &label); // the kind's label, without the count
    void addDestinationClicked();
    void destinationClicked(const QString &label);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    struct Box {
        QString label;
        int count = 0;
    };
    QList<Box> boxes() const;
    QRect triggerColumn() const;
    QRect destinationColumn() const;
    static QList<QRect> stacked(const QRect &column, int count);
    int functionWidth() const;

    QString m_name;
    int m_layers = 0;
    QStringList m_triggers;
    QStringList m_destinations;
};

} // namespace lambdesk::app
