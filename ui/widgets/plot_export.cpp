#include "widgets/plot_export.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>
#include <QSvgGenerator>

#include "widgets/qcustomplot_include.h"

#include <filesystem>
#include <system_error>

namespace gps::ui {

namespace {

const char* const kFolderKey = "export/lastFolder";

/// Renames `from` over `to` (atomic on one file system); the error in words or empty.
QString replaceWith(const QString& from, const QString& to) {
    std::error_code error;
    std::filesystem::rename(from.toStdString(), to.toStdString(), error);
    if (!error)
        return {};
    QFile::remove(from);
    return QObject::tr("%1: cannot write: %2").arg(to, QString::fromStdString(error.message()));
}

bool writeSvg(QCustomPlot* plot, const QString& file, int width, int height) {
    QSvgGenerator svg;
    svg.setFileName(file);
    svg.setSize(QSize(width, height));
    svg.setViewBox(QRect(0, 0, width, height));
    svg.setTitle(QStringLiteral("GPS Studio plot"));
    QCPPainter painter;
    if (!painter.begin(&svg))
        return false;
    plot->toPainter(&painter, width, height);
    return painter.end();
}

} // namespace

QString plotFileFilters() {
    return QObject::tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)");
}

QString savePlot(QCustomPlot* plot, const QString& file) {
    const QString suffix = QFileInfo(file).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") &&
        suffix != QLatin1String("pdf"))
        return QObject::tr("%1: unknown picture type '.%2' (expected .png, .svg or .pdf)")
            .arg(file, suffix);
    if (!QFileInfo(QFileInfo(file).absolutePath()).isDir())
        return QObject::tr("%1: no such folder").arg(QFileInfo(file).absolutePath());
    // The temporary file keeps the suffix: the writers choose their format by it.
    const QString temporary = QFileInfo(file).absolutePath() + QStringLiteral("/.") +
                              QFileInfo(file).completeBaseName() + QStringLiteral(".part.") +
                              suffix;
    const int width = std::max(plot->width(), 320);
    const int height = std::max(plot->height(), 200);
    bool written = false;
    if (suffix == QLatin1String("png"))
        written = plot->savePng(temporary, width, height, 2.0);
    else if (suffix == QLatin1String("pdf"))
        written = plot->savePdf(temporary, width, height);
    else
        written = writeSvg(plot, temporary, width, height);
    if (!written || !QFileInfo(temporary).isFile() || QFileInfo(temporary).size() == 0) {
        QFile::remove(temporary);
        return QObject::tr("%1: cannot write the picture").arg(file);
    }
    return replaceWith(temporary, file);
}

void copyPlotToClipboard(QCustomPlot* plot) {
    QApplication::clipboard()->setPixmap(plot->toPixmap(plot->width(), plot->height(), 2.0));
}

QString savePlotWithDialog(QCustomPlot* plot, QWidget* parent, const QString& suggestedName) {
    QSettings settings;
    const QString folder = settings.value(kFolderKey, QDir::homePath()).toString();
    QString file = QFileDialog::getSaveFileName(
        parent, QObject::tr("Save plot"),
        QDir(folder).filePath(suggestedName + QStringLiteral(".png")), plotFileFilters());
    if (file.isEmpty())
        return {};
    if (QFileInfo(file).suffix().isEmpty())
        file += QStringLiteral(".png");
    settings.setValue(kFolderKey, QFileInfo(file).absolutePath());
    const QString error = savePlot(plot, file);
    return error.isEmpty() ? QObject::tr("Saved %1").arg(file) : error;
}

void addPlotExportMenu(QCustomPlot* plot, const QString& suggestedName,
                       std::function<void()> resetView, std::function<void(QMenu&)> addExtra,
                       std::function<void(const QString&)> report) {
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(plot, &QWidget::customContextMenuRequested, plot, [=](const QPoint& at) {
        QMenu menu(plot);
        menu.addAction(QObject::tr("Save plot as…"), plot, [=] {
            const QString message = savePlotWithDialog(plot, plot->window(), suggestedName);
            if (report && !message.isEmpty())
                report(message);
        });
        menu.addAction(QObject::tr("Copy plot"), plot, [=] {
            copyPlotToClipboard(plot);
            if (report)
                report(QObject::tr("Plot copied to the clipboard"));
        });
        if (resetView) {
            menu.addSeparator();
            menu.addAction(QObject::tr("Reset view"), plot, resetView);
        }
        if (addExtra) {
            menu.addSeparator();
            addExtra(menu);
        }
        menu.exec(plot->mapToGlobal(at));
    });
}

} // namespace gps::ui
