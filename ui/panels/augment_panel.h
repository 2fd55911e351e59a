#pragma once
/// The augmentation preview: the selected image and N augmented views of it, for a preset or a
/// JSON spec file, with a seed that makes the views repeatable and a button that draws new ones.
///
/// Small in-memory images are augmented on the GUI thread (a few milliseconds); larger or lazily
/// decoded ones go through a JobRunner, and only the newest request is shown.

#include "augment/spec.h"
#include "data/dataset.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace gps::ui {

class ImageGrid;
class JobRunner;
struct AugmentPreview;

class AugmentPanel : public QWidget {
    Q_OBJECT

public:
    static constexpr int kMaxViews = 32;

    explicit AugmentPanel(QWidget* parent = nullptr);
    ~AugmentPanel() override;

    void setDataset(const data::DatasetPtr& dataset);
    /// Previews dataset image `index`; -1 clears the preview.
    void showImage(qint64 index);

    /// Picks a preset by name (one of gps::augment::presetNames()); false if unknown.
    bool setPreset(const QString& name);
    void setViewCount(int views);
    void setSeed(int seed);
    int seed() const;
    /// Loads a JSON spec and previews it; on error shows the parser's message and returns false.
    bool loadSpecFile(const QString& path);
    /// Uses a spec held in memory (a project's), listed as `label`.
    void setCustomSpec(augment::AugmentSpec spec, const QString& label,
                       const QString& tooltip = {});
    /// The preset chosen now, or empty while a custom spec is in use: a project keeps the
    /// preset's name, which a run expands for the dataset's real image shape.
    QString presetName() const;

    /// Images in the preview now: the original plus its views (0 when nothing is shown).
    int shownImageCount() const;
    /// Why the preview is empty (a bad spec, a failed job), or empty when all is well.
    QString errorText() const;
    bool isComputing() const { return m_job != 0; }
    /// The spec chosen now (the preset for the dataset's image shape, or the loaded JSON spec);
    /// none while a preset has no dataset to fit.
    std::optional<augment::AugmentSpec> spec() const;

Q_SIGNALS:
    /// The chosen spec changed (another preset or file, or a dataset of another shape); other
    /// panels that augment (the neighbour inspector's positive pairs) follow it.
    void specChanged(const gps::augment::AugmentSpec& spec);
    /// The preview was redrawn (or cleared); tests and the status bar follow it.
    void previewUpdated();
    void statusMessage(const QString& message);

private:
    void chooseSpecFile();
    void reroll();
    void refresh();
    void publishSpec();
    std::optional<augment::AugmentSpec> currentSpec();
    void showPreview(const AugmentPreview& preview);
    void showError(const QString& message);
    void setStatus(const QString& text, bool isError);

    data::DatasetPtr m_dataset;
    qint64 m_index = -1;
    std::optional<augment::AugmentSpec> m_customSpec;
    std::optional<augment::AugmentSpec> m_publishedSpec; ///< last one sent with specChanged
    JobRunner* m_jobs = nullptr;
    quint64 m_job = 0;
    QString m_error;

    QComboBox* m_specs = nullptr;
    QPushButton* m_loadSpec = nullptr;
    QSpinBox* m_views = nullptr;
    QSpinBox* m_seed = nullptr;
    QPushButton* m_reroll = nullptr;
    QLabel* m_status = nullptr;
    ImageGrid* m_grid = nullptr;
};

} // namespace gps::ui
