#pragma once
// Lambda > Queues: the engine's SQS queues, as a small console of its own. "Queues (N)" with each
// queue's counts and dead-letter queue (Create queue, Send message, Purge, Delete), and the
// selected queue's messages as they stand (a peek that receives nothing), with Redrive on a
// dead-letter queue to send its messages back where they came from. Engine calls run off the
// GUI thread.

#include "lambdesk/engine/queue.h"

#include <QWidget>

#include <functional>
#include <vector>

class QLabel;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace lambdesk::engine {
class Engine;
}

namespace lambdesk::app {

class Flashbar;
class Panel;

class QueuesPage : public QWidget {
    Q_OBJECT
public:
    enum Column { NameColumn, AvailableColumn, InFlightColumn, DelayedColumn, DeadLetterColumn };
    enum MessageColumn { IdColumn, BodyColumn, SentColumn, ReceivesColumn, StateColumn };

    explicit QueuesPage(engine::Engine &engine, QWidget *parent = nullptr);

    void reload(); // the queues, then the selected queue's messages
    void selectQueue(const QString &name);
    QString selectedQueue() const;
    // What the buttons do (the buttons ask first where the console does).
    void createQueue(const QString &name, int visibilityTimeout, const QString &deadLetterQueue,
                     int maxReceiveCount);
    void sendMessage(const QString &body);
    void purgeSelected();
    void deleteSelected();
    void redriveSelected();
    void showFlash(int kind, const QString &text); // kind: Flashbar::Kind

    bool isLoaded() const { return m_loaded; }
    QStandardItemModel *queuesModel() const { return m_queuesModel; }
    QStandardItemModel *messagesModel() const { return m_messagesModel; }
    QPushButton *redriveButton() const { return m_redrive; }
    Flashbar *flashbar() const { return m_flash; }

signals:
    void loaded();

private:
    QWidget *buildQueues();
    QWidget *buildMessages();
    void fillQueues(const std::vector<engine::QueueInfo> &queues,
                    const std::vector<engine::QueueAttributes> &counts);
    void peekSelected();
    void openCreateDialog();
    void openSendDialog();
    void updateButtons();
    // Runs an engine call on the selected queue; on success flashes `done` and reloads.
    void act(std::function<engine::Result<QString>(engine::Engine &, const std::string &)> call);

    engine::Engine &m_engine;
    Flashbar *m_flash;
    Panel *m_queuesPanel;
    QTableView *m_queuesTable;
    QStandardItemModel *m_queuesModel;
    QLabel *m_queuesEmpty;
    Panel *m_messagesPanel;
    QTableView *m_messagesTable;
    QStandardItemModel *m_messagesModel;
    QPushButton *m_send;
    QPushButton *m_purge;
    QPushButton *m_delete;
    QPushButton *m_redrive;
    std::vector<std::string> m_deadLetterQueues; // queues some other queue's policy names
    QString m_selectAfterLoad;                   // a queue just created
    bool m_loaded = false;
};

} // namespace lambdesk::app
