#pragma once
// Editable key/value rows: environment variables (wizard and Configuration) and tags. The key
// rule comes from the caller (engine::validateEnvironmentVariableName for variables).

#include <QAbstractTableModel>
#include <QStringList>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace lambdesk::app {

class KeyValueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum class Column { Key, Value, Count };
    // Returns an empty string for a valid key, else the message to show.
    using KeyValidator = std::function<QString(const QString &key)>;

    explicit KeyValueModel(QObject *parent = nullptr);
    void setKeyValidator(KeyValidator validator);
    void setHeaders(const QString &key, const QString &value);

    void setPairs(const std::map<std::string, std::string> &pairs);
    std::map<std::string, std::string> pairs() const; // valid rows only
    int addRow(const QString &key = {}, const QString &value = {}); // returns the new row
    void removeRowAt(int row);

    // Problem of one row (invalid key, empty key, duplicate), empty when fine.
    QString problemAt(int row) const;
    // Every problem, "KEY: message"; empty when pairs() holds everything the user typed.
    QStringList problems() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    void edited(); // any row added, removed or changed by the user

private:
    struct Row {
        QString key;
        QString value;
    };
    std::vector<Row> m_rows;
    KeyValidator m_validator;
    QString m_keyHeader = QStringLiteral("Key");
    QString m_valueHeader = QStringLiteral("Value");
};

} // namespace lambdesk::app
