#pragma once
/// Saving and copying plots, the same for every QCustomPlot of the studio: PNG (at twice the
/// widget's resolution), SVG (QSvgGenerator) and PDF (vector), written to a temporary file and
/// renamed over the target, so a failed export leaves no half file and never loses the old one.
/// PlotExportMenu puts these on a plot's right-click menu, with whatever the owner adds.

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

class QCustomPlot;
class QMenu;
class QWidget;

namespace gps::ui {

/// File-dialog filters for savePlot, PNG first.
QString plotFileFilters();
/// Saves `plot` as `file` by its extension (.png, .svg or .pdf). Empty on success, else what
/// went wrong, naming the file.
QString savePlot(QCustomPlot* plot, const QString& file);
/// Puts the plot on the clipboard as an image.
void copyPlotToClipboard(QCustomPlot* plot);
/// Asks for a file (remembering the last folder) and saves `plot` there; the message for the
/// status bar, empty when the user cancelled.
QString savePlotWithDialog(QCustomPlot* plot, QWidget* parent, const QString& suggestedName);

/// A right-click menu on `plot`: "Save plot as…", "Copy plot", "Reset view" (when `resetView` is
/// given) and the owner's extra actions (`addExtra` fills the menu before it is shown).
/// Messages (saved, failed) go to `report`.
void addPlotExportMenu(QCustomPlot* plot, const QString& suggestedName,
                       std::function<void()> resetView = {},
                       std::function<void(QMenu&)> addExtra = {},
                       std::function<void(const QString&)> report = {});

} // namespace gps::ui
