#include "models/keywordfilterproxy.h"

namespace lambdesk::app {

void KeywordFilterProxy::setSearchText(const QString &text)
{
    const QStringList terms = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (terms == m_terms)
        return;
    m_terms = terms;
    invalidateFilter();
}

bool KeywordFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_terms.isEmpty())
        return true;
    const QString haystack = searchableText(sourceRow, sourceParent);
    for (const QString &term : m_terms) {
        if (!haystack.contains(term, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

} // namespace lambdesk::app
