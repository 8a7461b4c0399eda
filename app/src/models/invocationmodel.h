#pragma once
// Recent invocations of one function for Monitor → Logs, newest first, capped so a long load run
// keeps the table small (the charts use every record; this view only the latest).

#include "lambdesk/engine/types.h"

#include <QAbstractTableModel>
#include <deque>
#include <vector>

namespace lambdesk::app {

class InvocationModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column {
        Timestamp,
        RequestId,
        Status,
        Source,
        Duration,
        BilledDuration,
        MemorySize,
        MaxMemoryUsed,
        InitDuration,
        Sandbox,
        Count
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int LogRole = Qt::UserRole + 2; // the START..REPORT text, when loaded

    struct Row {
        QString requestId;
        qint64 startTimeMs = 0;
        double durationMs = 0;
        qint64 billedDurationMs = 0;
        int memorySizeMb = 0;
        int maxMemoryUsedMb = 0;
        double initDurationMs = 0;
        bool restored = false; // the cold start resumed a SnapStart snapshot
        engine::InvocationStatus status = engine::InvocationStatus::Succeeded;
        QString errorType;
        QString sandbox;
        QString source; // who invoked, in words: "Function URL", "Schedule", "Folder", "Invoke"
        QString log;
    };

    explicit InvocationModel(int capacity = 500, QObject *parent = nullptr);

    // Records come oldest first (engine order); the newest ends up on top.
    void setRecords(const std::vector<engine::InvocationRecord> &records);
    void addRecord(const engine::InvocationRecord &record);
    const Row &row(int index) const { return m_rows.at(std::size_t(index)); }
    int capacity() const { return m_capacity; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    static QString statusText(engine::InvocationStatus status);

private:
    static Row toRow(const engine::InvocationRecord &record);
    int m_capacity;
    std::deque<Row> m_rows; // newest first
};

} // namespace lambdesk::app
