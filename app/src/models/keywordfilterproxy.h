#pragma once
// The console's "search by keyword" boxes: the text is split at spaces and a row stays when every
// term occurs in it, ignoring case ("python 128" narrows to Python functions with 128 MB).

#include <QSortFilterProxyModel>
#include <QStringList>

namespace lambdesk::app {

class KeywordFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setSearchText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const final;
    // Everything a row can be found by; terms never hold a space, so joining fields with one
    // keeps a term from matching across two of them.
    virtual QString searchableText(int sourceRow, const QModelIndex &sourceParent) const = 0;

private:
    QStringList m_terms;
};

} // namespace lambdesk::app
