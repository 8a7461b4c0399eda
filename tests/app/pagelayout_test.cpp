// How the function page sits in the window: the wheel over a tab bar scrolls the page (never
// switches tabs), the page reflows down to 1024×640 with its buttons in view, table headers fit
// their text, and the Configuration menu's text stays put when an item is selected.

#include "apptestsupport.h"

#include "function/codetab.h"
#include "function/configurationtab.h"
#include "function/functionpage.h"
#include "function/layerssection.h"
#include "function/loadrunner.h"
#include "function/monitortab.h"
#include "function/testtab.h"
#include "function/versionstab.h"
#include "mainwindow.h"
#include "screens/createfunctionpage.h"
#include "screens/layerspage.h"
#include "testzip.h"

#include <QAbstractItemModel>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QWheelEvent>
#include <QtTest>

using namespace lambdesk;
using namespace lambdesk::app;

namespace {

constexpr int kTimeout = 60'000;

QScrollArea *pageScroll(FunctionPage *page)
{
    return page->findChild<QScrollArea *>(QStringLiteral("pageScroll"));
}

// The tab bar of the page's own Code | Test | ... tabs.
QTabBar *functionTabBar(FunctionPage *page)
{
    for (QTabBar *bar : page->findChildren<QTabBar *>()) {
        if (bar->count() >= 6 && bar->tabText(5) == QLatin1String("Versions"))
            return bar;
    }
    return nullptr;
}

// A wheel notch as a mouse without pixel scrolling sends it: down is a negative angle delta.
void wheel(QWidget *widget, const QPoint &pos, int notches)
{
    QWheelEvent event(QPointF(pos), QPointF(widget->mapToGlobal(pos)), QPoint(),
                      QPoint(0, -120 * notches), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                      false);
    QApplication::sendEvent(widget, &event);
}

// Where the text of a menu row is drawn: the bounding box of the pixels that differ clearly
// from the row's background (sampled at its right end, clear of text), left of the border.
QRect textExtent(QListWidget *menu, int row)
{
    const QImage image = menu->viewport()->grab().toImage();
    const QRect item = menu->visualItemRect(menu->item(row));
    const QColor background = image.pixelColor(item.right() - 2, item.center().y());
    QRect extent;
    for (int y = item.top() + 1; y < item.bottom(); ++y) {
        for (int x = item.left() + 6; x < item.right() - 2; ++x) {
            const QColor c = image.pixelColor(x, y);
            const int distance = std::abs(c.red() - background.red()) +
                                 std::abs(c.green() - background.green()) +
                                 std::abs(c.blue() - background.blue());
            if (distance > 90)
                extent |= QRect(x, y, 1, 1);
        }
    }
    return extent.translated(-item.topLeft());
}

// The widest widgets under `root` (by minimum size hint), to say what keeps a page from reflowing.
QString widestWidgets(QWidget *root, int limit)
{
    QStringList found;
    for (QWidget *widget : root->findChildren<QWidget *>()) {
        if (widget->isVisibleTo(root) && widget->minimumSizeHint().width() > limit)
            found << QStringLiteral("%1 %2 (%3 px)")
                         .arg(QLatin1String(widget->metaObject()->className()),
                              widget->objectName())
                         .arg(widget->minimumSizeHint().width());
    }
    return found.join(QStringLiteral("; "));
}

} // namespace

class PageLayoutTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { testing::prepareApplication(); }
    void init();
    void cleanup();
    void wheelOverTheTabBarScrollsThePage();
    void functionPageFitsA1024By640Window();
    void createFunctionPageFitsA1024By640Window();
    void tableHeadersFitTheirText();
    void configurationMenuTextStaysPutWhenSelected();

private:
    FunctionPage *openFunction(FunctionPage::Tab tab);
    std::unique_ptr<testing::TestEngine> m_host;
    std::unique_ptr<MainWindow> m_window;
};

void PageLayoutTest::init()
{
    m_host = std::make_unique<testing::TestEngine>();
    QVERIFY2(m_host->ok(), qPrintable(m_host->error()));
    const std::string python = m_host->runtimeLike("python");
    if (python.empty())
        QSKIP("no Python runtime available on this machine");
    const auto created = createEchoFunction(m_host->engine(), "layout-fn", python);
    QVERIFY2(created.ok(), created.ok() ? "" : created.error().message.c_str());
    m_window = std::make_unique<MainWindow>(m_host->engine(), QString());
}

void PageLayoutTest::cleanup()
{
    m_window.reset();
    m_host.reset();
}

FunctionPage *PageLayoutTest::openFunction(FunctionPage::Tab tab)
{
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return nullptr;
    m_window->openFunction(QStringLiteral("layout-fn"), FunctionPage::tabNames().at(int(tab)));
    if (!QTest::qWaitFor(
            [&] { return m_window->functionPage() && m_window->functionPage()->isLoaded(); },
            kTimeout))
        return nullptr;
    return m_window->functionPage();
}

void PageLayoutTest::wheelOverTheTabBarScrollsThePage()
{
    m_window->resize(1280, 700); // shorter than the page, so it scrolls
    FunctionPage *page = openFunction(FunctionPage::Tab::Code);
    QVERIFY(page);
    QTabBar *bar = functionTabBar(page);
    QVERIFY(bar);
    QScrollBar *vertical = pageScroll(page)->verticalScrollBar();
    QTRY_VERIFY(vertical->maximum() > 0);

    // Down over the Code tab: the tab stays, the page moves on.
    vertical->setValue(0);
    wheel(bar, bar->tabRect(0).center(), 1);
    QCOMPARE(page->currentTab(), FunctionPage::Tab::Code);
    QVERIFY2(vertical->value() > 0, "the wheel over the tab bar scrolls the page");

    // Up over the Versions tab, the last one: still no switch, the page moves back.
    page->showTab(FunctionPage::Tab::Versions);
    QTRY_VERIFY_WITH_TIMEOUT(page->versionsTab()->isLoaded(), kTimeout);
    const int scrolled = vertical->value();
    wheel(bar, bar->tabRect(4).center(), -1);
    QCOMPARE(page->currentTab(), FunctionPage::Tab::Versions);
    QVERIFY(vertical->value() < scrolled || scrolled == 0);

    // Monitor's own Metrics | Logs | Traces bar behaves the same.
    page->showTab(FunctionPage::Tab::Monitor);
    QTabBar *monitorBar = nullptr;
    for (QTabBar *candidate : page->monitorTab()->findChildren<QTabBar *>()) {
        if (candidate->count() > 1 && candidate->tabText(0) == QLatin1String("Metrics"))
            monitorBar = candidate;
    }
    QVERIFY(monitorBar);
    const int current = monitorBar->currentIndex();
    wheel(monitorBar, monitorBar->tabRect(current).center(), 1);
    wheel(monitorBar, monitorBar->tabRect(current).center(), -1);
    QCOMPARE(monitorBar->currentIndex(), current);
    QCOMPARE(page->currentTab(), FunctionPage::Tab::Monitor);
}

namespace {

// Layouts settle on posted LayoutRequest events, and one layout's new size can post the next.
void settleLayouts()
{
    for (int round = 0; round < 4; ++round) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents();
    }
}

} // namespace

void PageLayoutTest::functionPageFitsA1024By640Window()
{
    m_window->resize(1024, 640);
    FunctionPage *page = openFunction(FunctionPage::Tab::Code);
    QVERIFY(page);
    QCOMPARE(m_window->size(), QSize(1024, 640));
    QScrollArea *scroll = pageScroll(page);
    QWidget *viewport = scroll->viewport();

    // Inside the viewport as the page is shown (unscrolled), and inside the window.
    auto inView = [&](QWidget *widget, bool vertically) {
        const QRect rect(widget->mapTo(viewport, QPoint(0, 0)), widget->size());
        const QRect inWindow(widget->mapTo(m_window.get(), QPoint(0, 0)), widget->size());
        const bool horizontal = rect.left() >= 0 && rect.right() <= viewport->width() - 1 &&
                                inWindow.right() <= m_window->width() - 1;
        return horizontal &&
               (!vertically || (rect.top() >= 0 && rect.bottom() <= viewport->height() - 1));
    };
    auto headerButton = [&](const QString &text) -> QWidget * {
        for (QAbstractButton *button : page->findChildren<QAbstractButton *>()) {
            if (button->text() == text && button->isVisibleTo(page))
                return button;
        }
        return nullptr;
    };

    for (FunctionPage::Tab tab : {FunctionPage::Tab::Code, FunctionPage::Tab::Test,
                                  FunctionPage::Tab::Monitor, FunctionPage::Tab::Configuration,
                                  FunctionPage::Tab::Aliases, FunctionPage::Tab::Versions}) {
        page->showTab(tab);
        settleLayouts();
        QVERIFY2(!scroll->horizontalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("tab %1: the page needs %2 px, the viewport has %3")
                                .arg(int(tab))
                                .arg(scroll->widget()->minimumSizeHint().width())
                                .arg(viewport->width())));
        QVERIFY(scroll->widget()->width() <= viewport->width());
        for (const QString &text :
             {QStringLiteral("Throttle"), QStringLiteral("Copy ARN"), QStringLiteral("Actions")}) {
            QWidget *button = headerButton(text);
            QVERIFY2(button, qPrintable(text));
            QVERIFY2(inView(button, true),
                     qPrintable(QStringLiteral("%1 on tab %2").arg(text).arg(int(tab))));
        }
    }

    // A finished load run fills the stat cards ("100.0 %") and the run's state line: still no
    // horizontal scrolling.
    page->showTab(FunctionPage::Tab::Monitor);
    QSignalSpy finished(page->monitorTab()->loadRunner(), &LoadRunner::finished);
    page->monitorTab()->runLoad(8, 2);
    QVERIFY(finished.wait(kTimeout));
    QTRY_VERIFY_WITH_TIMEOUT(page->monitorTab()->sampleCount() >= 8, kTimeout);
    settleLayouts();
    QVERIFY2(
        !scroll->horizontalScrollBar()->isVisible(),
        qPrintable(QStringLiteral("after a load run the page needs %1 px, the viewport has %2: %3")
                       .arg(scroll->widget()->minimumSizeHint().width())
                       .arg(viewport->width())
                       .arg(widestWidgets(scroll->widget(), viewport->width() / 4))));

    page->showTab(FunctionPage::Tab::Code);
    settleLayouts();
    QVERIFY2(inView(page->codeTab()->deployButton(), true), "Deploy is in view");
    page->showTab(FunctionPage::Tab::Test);
    settleLayouts();
    QVERIFY2(inView(page->testTab()->testButton(), false),
             "the Test tab's Test button is within the width");
}

void PageLayoutTest::createFunctionPageFitsA1024By640Window()
{
    m_window->resize(1024, 640);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    for (bool blueprint : {false, true}) {
        m_window->showCreateFunction(blueprint);
        CreateFunctionPage *wizard = m_window->createFunctionPage();
        QTRY_VERIFY_WITH_TIMEOUT(wizard->isLoaded(), kTimeout);
        settleLayouts();
        auto *scroll = wizard->findChild<QScrollArea *>(QStringLiteral("pageScroll"));
        QVERIFY(scroll);
        QVERIFY2(
            !scroll->horizontalScrollBar()->isVisible(),
            qPrintable(QStringLiteral("blueprint %1: the page needs %2 px, the viewport has %3: %4")
                           .arg(blueprint)
                           .arg(scroll->widget()->minimumSizeHint().width())
                           .arg(scroll->viewport()->width())
                           .arg(widestWidgets(scroll->widget(), scroll->viewport()->width() / 4))));
        // Wrapped hints must not squeeze the inputs below their natural height.
        for (QWidget *input : scroll->widget()->findChildren<QWidget *>()) {
            if (!qobject_cast<QLineEdit *>(input) && !qobject_cast<QComboBox *>(input))
                continue;
            if (!input->isVisibleTo(scroll->widget()) ||
                input->parentWidget()->inherits("QComboBox"))
                continue;
            QVERIFY2(input->height() >= input->sizeHint().height(),
                     qPrintable(QStringLiteral("blueprint %1: %2 '%3' is %4 px high, it needs %5")
                                    .arg(blueprint)
                                    .arg(QLatin1String(input->metaObject()->className()),
                                         input->accessibleName())
                                    .arg(input->height())
                                    .arg(input->sizeHint().height())));
        }
    }
}

void PageLayoutTest::tableHeadersFitTheirText()
{
    FunctionPage *page = openFunction(FunctionPage::Tab::Monitor);
    QVERIFY(page);
    page->showTab(FunctionPage::Tab::Versions);
    QTRY_VERIFY_WITH_TIMEOUT(page->versionsTab()->isLoaded(), kTimeout);
    QList<QTableView *> tables = page->monitorTab()->findChildren<QTableView *>();
    tables += page->versionsTab()->findChildren<QTableView *>();
    tables += page->codeTab()->layersSection()->findChildren<QTableView *>();
    tables +=
        m_window->layersPage()->findChildren<QTableView *>(); // the Layers screen's two tables
    QVERIFY(!tables.isEmpty());
    for (QTableView *table : tables) {
        QHeaderView *header = table->horizontalHeader();
        // The stylesheet draws section titles bold with 8 px padding on each side.
        QFont bold = header->font();
        bold.setBold(true);
        const QFontMetrics metrics(bold);
        for (int section = 0; section < header->count() - 1; ++section) { // the last one stretches
            if (header->isSectionHidden(section))
                continue;
            const QString text = table->model()->headerData(section, Qt::Horizontal).toString();
            const int needed = metrics.horizontalAdvance(text) + 16;
            QVERIFY2(header->sectionSize(section) >= needed,
                     qPrintable(QStringLiteral("\"%1\" is %2 px wide, its title needs %3")
                                    .arg(text)
                                    .arg(header->sectionSize(section))
                                    .arg(needed)));
        }
    }
}

void PageLayoutTest::configurationMenuTextStaysPutWhenSelected()
{
    FunctionPage *page = openFunction(FunctionPage::Tab::Configuration);
    QVERIFY(page);
    auto *menu = page->configurationTab()->findChild<QListWidget *>(QStringLiteral("configMenu"));
    QVERIFY(menu);
    menu->setCurrentRow(1);
    const QRect unselected = textExtent(menu, 0);
    menu->setCurrentRow(0);
    const QRect selected = textExtent(menu, 0);
    QVERIFY(!unselected.isEmpty());
    QVERIFY2(selected == unselected,
             qPrintable(QStringLiteral("text at %1,%2 %3x%4 unselected, %5,%6 %7x%8 selected")
                            .arg(unselected.x())
                            .arg(unselected.y())
                            .arg(unselected.width())
                            .arg(unselected.height())
                            .arg(selected.x())
                            .arg(selected.y())
                            .arg(selected.width())
                            .arg(selected.height())));
}

QTEST_MAIN(PageLayoutTest)
#include "pagelayout_test.moc"
