#pragma once
// The console's read-only tables (function list, versions, invocation logs): whole rows selected,
// no cell focus box that reads like an editor, one line per cell (a code SHA-256 like "/x+y..."
// must not wrap after its "/"), headers left-aligned and never narrower than their titles.

class QAbstractItemModel;
class QTableView;
class QWidget;

namespace lambdesk::app {

QTableView *consoleTable(QAbstractItemModel *model, QWidget *parent);
// An ARN column elided on the left, so its last parts (a name, a version, an alias) stay in view.
void elideArnColumn(QTableView *table, int column);

} // namespace lambdesk::app
