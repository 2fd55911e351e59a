#pragma once
/// The dataset browser: open a dataset (folder, file or the embedded Fashion-MNIST) off the GUI
/// thread, pick a split, read its summary and warnings, filter by class and browse every image
/// as a thumbnail. Selecting an image announces its index (the augmentation preview follows it).
///
/// A failed open leaves what was shown untouched and reports the reader's message.

#include "bridge/dataset_loader.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace gps::ui {

class JobRunner;
class ThumbnailModel;
class ThumbnailView;

class DatasetPanel : public QWidget {
    Q_OBJECT

public:
    explicit DatasetPanel(QWidget* parent = nullptr);
    ~DatasetPanel() override;

    /// Opens `source` (a path, or "fashion-mnist") on a worker; `split` empty = train or the first.
    /// A second call while one is running replaces it.
    void openDataset(const QString& source, const QString& split = {});
    /// Shows a dataset that is already open (built in memory, or opened elsewhere).
    void setDataset(data::DatasetPtr dataset, const QString& source = {});

    /// File dialogs for the menus and buttons.
    void chooseFolder();
    void chooseFile();
    void openFashionMnist();

    const data::DatasetPtr& dataset() const { return m_opened.dataset; }
    /// What the user opened (a path or "fashion-mnist") and the split shown; empty before.
    QString source() const { return m_opened.source; }
    QString split() const;
    bool isBusy() const { return m_openJob != 0; }
    /// Keeps only class `classIndex` in the grid (ThumbnailModel::kAllClasses for all).
    void setClassFilter(int classIndex);
    /// Selects dataset image `index` (-1 clears) as if the user clicked it.
    void selectImage(qint64 index);
    qint64 currentImage() const;

    ThumbnailModel* thumbnailModel() const { return m_model; }
    QString summary() const;
    QString details() const;
    QStringList warnings() const;

Q_SIGNALS:
    void datasetChanged(const gps::data::DatasetPtr& dataset);
    void datasetOpened();
    void datasetFailed(const QString& message);
    void currentImageChanged(qint64 index);
    void statusMessage(const QString& message);

private:
    QWidget* buildOpenBar();
    void showOpened(OpenedDataset opened);
    void setBusy(const QString& what);
    void onOpenSucceeded(quint64 job, const QVariant& value);
    void onOpenFailed(quint64 job, const QString& message);
    void onSplitChosen(int comboIndex);
    void onClassChosen(int comboIndex);
    void updateSplits();
    void updateClassFilter();
    void updateWarnings();
    void updateDetails(qint64 index);
    void showWarningsDialog();

    OpenedDataset m_opened;
    JobRunner* m_jobs = nullptr;
    quint64 m_openJob = 0;
    ThumbnailModel* m_model = nullptr;

    QPushButton* m_openFolder = nullptr;
    QPushButton* m_openFile = nullptr;
    QPushButton* m_openFashion = nullptr;
    QComboBox* m_splits = nullptr;
    QProgressBar* m_busy = nullptr;
    QLabel* m_busyText = nullptr;
    QToolButton* m_cancel = nullptr;
    QLabel* m_summary = nullptr;
    QToolButton* m_warnings = nullptr;
    QComboBox* m_classes = nullptr;
    ThumbnailView* m_view = nullptr;
    QLabel* m_details = nullptr;
};

} // namespace gps::ui
