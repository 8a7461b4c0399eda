// Lambda > Queues: the engine's queues with their counts and dead-letter queues; Create queue
// (with a redrive policy), Send message, the selected queue's messages seen without receiving
// them, DLQ redrive moving a dead letter back to its queue, Purge and Delete.
#include "apptestsupport.h"

#include "screens/queuespage.h"
#include "widgets/flashbar.h"

#include <QPushButton>
#include <QStandardItemModel>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {

QString cellText(QStandardItemModel *model, int row, int column)
{
    return row < model->rowCount() ? model->item(row, column)->text() : QString();
}

int rowOf(QStandardItemModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->item(row, QueuesPage::NameColumn)->text() == name)
            return row;
    return -1;
}

} // namespace

class QueuesPageTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { testing::prepareApplication(); }
    void createSendPeekRedrivePurgeDelete();
};

void QueuesPageTest::createSendPeekRedrivePurgeDelete()
{
    testing::TestEngine host;
    QVERIFY2(host.ok(), qPrintable(host.error()));
    engine::Engine &engine = host.engine();
    QVERIFY(engine.createQueue("orders-dlq").ok());
    QueuesPage page(engine);
    page.resize(1200, 900);
    page.show();
    page.reload();
    QTRY_VERIFY_WITH_TIMEOUT(page.isLoaded(), 30'000);
    QCOMPARE(page.queuesModel()->rowCount(), 1);

    // Create queue with the existing one as its dead-letter queue.
    page.createQueue(QStringLiteral("orders"), 0, QStringLiteral("orders-dlq"), 1);
    QTRY_COMPARE_WITH_TIMEOUT(page.queuesModel()->rowCount(), 2, 30'000);
    QTRY_COMPARE(page.selectedQueue(), QStringLiteral("orders"));
    const int orders = rowOf(page.queuesModel(), QStringLiteral("orders"));
    QCOMPARE(cellText(page.queuesModel(), orders, QueuesPage::DeadLetterColumn),
             QStringLiteral("orders-dlq"));
    QVERIFY2(page.flashbar()->text().contains(QStringLiteral("created")),
             qPrintable(page.flashbar()->text()));

    // Send message; the message shows, available, never received.
    page.sendMessage(QStringLiteral("{\"id\": 7}"));
    QTRY_COMPARE_WITH_TIMEOUT(page.messagesModel()->rowCount(), 1, 30'000);
    QCOMPARE(cellText(page.messagesModel(), 0, QueuesPage::BodyColumn),
             QStringLiteral("{\"id\": 7}"));
    QCOMPARE(cellText(page.messagesModel(), 0, QueuesPage::ReceivesColumn), QStringLiteral("0"));
    QCOMPARE(cellText(page.messagesModel(), 0, QueuesPage::StateColumn),
             QStringLiteral("available"));
    QTRY_COMPARE(cellText(page.queuesModel(), rowOf(page.queuesModel(), QStringLiteral("orders")),
                          QueuesPage::AvailableColumn),
                 QStringLiteral("1"));
    auto peeked = engine.peekMessages("orders");
    QVERIFY(peeked.ok());
    QCOMPARE(peeked->front().receiveCount, 0); // looking received nothing

    // Received once (maxReceiveCount 1, visibility 0): the next receive moves it to the DLQ.
    QVERIFY(engine.receiveMessages("orders", {}).ok());
    auto second = engine.receiveMessages("orders", {});
    QVERIFY(second.ok() && second->empty());
    page.reload();
    QTRY_COMPARE_WITH_TIMEOUT(cellText(page.queuesModel(),
                                       rowOf(page.queuesModel(), QStringLiteral("orders-dlq")),
                                       QueuesPage::AvailableColumn),
                              QStringLiteral("1"), 30'000);

    page.selectQueue(QStringLiteral("orders-dlq"));
    QVERIFY(page.redriveButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(page.messagesModel()->rowCount(), 1, 30'000);
    page.redriveSelected();
    QTRY_VERIFY_WITH_TIMEOUT(page.flashbar()->text().contains(QStringLiteral("1 message(s) moved")),
                             30'000);
    QTRY_COMPARE_WITH_TIMEOUT(cellText(page.queuesModel(),
                                       rowOf(page.queuesModel(), QStringLiteral("orders")),
                                       QueuesPage::AvailableColumn),
                              QStringLiteral("1"), 30'000);
    auto back = engine.peekMessages("orders");
    QVERIFY(back.ok() && back->size() == 1);
    QCOMPARE(back->front().receiveCount, 0);
    QVERIFY(back->front().deadLetterSourceArn.empty());

    page.selectQueue(QStringLiteral("orders"));
    QVERIFY(!page.redriveButton()->isEnabled()); // not a dead-letter queue
    page.purgeSelected();
    QTRY_COMPARE_WITH_TIMEOUT(cellText(page.queuesModel(),
                                       rowOf(page.queuesModel(), QStringLiteral("orders")),
                                       QueuesPage::AvailableColumn),
                              QStringLiteral("0"), 30'000);

    page.deleteSelected();
    QTRY_COMPARE_WITH_TIMEOUT(page.queuesModel()->rowCount(), 1, 30'000);
    QCOMPARE(rowOf(page.queuesModel(), QStringLiteral("orders")), -1);
}

QTEST_MAIN(QueuesPageTest)
#include "queuespage_test.moc"
