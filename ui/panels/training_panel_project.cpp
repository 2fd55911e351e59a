// TrainingPanel, the project side: the base project, the window's context applied to it,
// project files, and the validated project a run uses.

#include "panels/training_panel.h"

#include "panels/runs_panel.h"
#include "panels/training_form.h"
#include "project/project.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>

namespace gps::ui {

void TrainingPanel::setDataset(const QString& pathOrName, const QString& split) {
    m_base->dataset.path = pathOrName.toStdString();
    if (!split.isEmpty())
        m_base->dataset.split = split.toStdString();
    updateContext();
}

void TrainingPanel::setPrior(const QString& spec) {
    m_base->prior.spec = spec.toStdString();
    updateContext();
}

void TrainingPanel::setSamplerOptions(const neighbors::SamplerOptions& options) {
    m_base->neighbors.tau = options.tau;
    m_base->neighbors.tauAuto = false;
    m_base->neighbors.k = options.k;
    m_base->neighbors.rule = options.rule;
    m_base->neighbors.includeAnchor = options.includeAnchor;
    updateContext();
}

void TrainingPanel::setKMax(int kMax) {
    m_base->neighbors.kMax = kMax;
    updateContext();
}

void TrainingPanel::setCosine(bool cosine) {
    m_base->neighbors.metric = cosine ? neighbors::Metric::Cosine : neighbors::Metric::L2;
    updateContext();
}

void TrainingPanel::setAugmentSpec(const augment::AugmentSpec& spec) {
    m_base->augment = spec;
    m_base->augmentPreset.clear();
    updateContext();
}

void TrainingPanel::setAugmentPreset(const QString& name) {
    m_base->augmentPreset = name.toStdString();
    updateContext();
}

void TrainingPanel::updateContext() {
    const project::Project& p = *m_base;
    QString tau = p.neighbors.tauAuto ? QStringLiteral("auto")
                  : p.neighbors.tau   ? QString::number(*p.neighbors.tau, 'g', 4)
                                      : tr("k-mode, k = %1").arg(p.neighbors.k);
    const QString augment = p.augmentPreset.empty() ? QString::fromStdString(p.augment.name)
                                                    : QString::fromStdString(p.augmentPreset);
    m_context->setText(tr("Dataset: %1 (%2) · prior: %3 · τ: %4 · augmentation: %5")
                           .arg(QString::fromStdString(p.dataset.path),
                                QString::fromStdString(p.dataset.split),
                                QString::fromStdString(p.prior.spec), tau, augment));
    m_projectLabel->setText(p.file.empty()
                                ? tr("Project: not saved yet (runs go to %1)").arg(runsFolder())
                                : tr("Project: %1").arg(projectFile()));
}

QString TrainingPanel::projectFile() const {
    return QString::fromStdString(m_base->file.string());
}

QString TrainingPanel::projectFolder() const {
    if (m_base->file.empty())
        return m_defaultProjectFolder;
    return QFileInfo(projectFile()).absolutePath();
}

QString TrainingPanel::runsFolder() const {
    return QDir(projectFolder()).filePath(QStringLiteral("runs"));
}

void TrainingPanel::setDefaultProjectFolder(const QString& folder) {
    m_defaultProjectFolder = folder;
    m_runs->setProjectFolder(projectFolder());
    updateContext();
}

bool TrainingPanel::buildProject(project::Project& out, QString& error) const {
    project::Project project = *m_base;
    m_form->applyTo(project);
    // Validation is the project file's own: the same messages, naming the key, as the CLI.
    auto parsed = project::parseProject(project::projectToJson(project), project.file);
    if (!parsed) {
        error = QString::fromStdString(parsed.error().message);
        return false;
    }
    out = std::move(parsed).value();
    return true;
}

QString TrainingPanel::projectPreview() const {
    project::Project project;
    QString error;
    if (!buildProject(project, error))
        return error;
    return QString::fromStdString(project::projectToJson(project).dump(2));
}

bool TrainingPanel::loadProjectFile(const QString& path) {
    auto loaded = project::loadProject(std::filesystem::path(path.toStdString()));
    if (!loaded) {
        showError(QString::fromStdString(loaded.error().message));
        appendLog(tr("Error: %1").arg(m_errorText));
        return false;
    }
    *m_base = std::move(loaded).value();
    m_form->setProject(*m_base);
    showError({});
    m_runs->setProjectFolder(projectFolder());
    updateContext();
    appendLog(tr("Opened project %1").arg(path));
    return true;
}

bool TrainingPanel::saveProjectFile(const QString& path) {
    project::Project project;
    QString error;
    if (!buildProject(project, error)) {
        showError(error);
        return false;
    }
    const std::filesystem::path file(QFileInfo(path).absoluteFilePath().toStdString());
    project.file = file;
    if (project.name.empty())
        project.name = file.stem().string();
    if (Status saved = project::saveProject(project, file); !saved) {
        showError(QString::fromStdString(saved.error().message));
        return false;
    }
    *m_base = std::move(project);
    showError({});
    m_runs->setProjectFolder(projectFolder());
    updateContext();
    appendLog(tr("Saved project %1").arg(path));
    return true;
}

void TrainingPanel::openProject() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project"), projectFile(),
                                                      tr("Projects (*.json);;All files (*)"));
    if (!path.isEmpty())
        loadProjectFile(path);
}

void TrainingPanel::saveProjectAs() {
    const QString start = m_base->file.empty() ? QDir::homePath() : projectFile();
    QString path = QFileDialog::getSaveFileName(this, tr("Save project"), start,
                                                tr("Projects (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    saveProjectFile(path);
}

} // namespace gps::ui
