// TrainingPanel, the project side: the base project, the window's context applied to it,
// project files, and the validated project a run uses.

#include "panels/training_panel.h"

#include "panels/runs_panel.h"
#include "panels/training_advanced_form.h"
#include "panels/training_form.h"
#include "project/project.h"

#include <QDir>
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
    // A project's "tau": "auto" shows as the suggested τ of the graph on screen; while the
    // inspector stays there the project keeps saying auto (each run suggests it on its graph).
    const bool stillAuto = m_base->neighbors.tauAuto && options.tau && m_graph &&
                           *options.tau == m_graph->suggestedTau;
    m_base->neighbors.tau = stillAuto ? std::optional<float>() : options.tau;
    m_base->neighbors.tauAuto = stillAuto;
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

void TrainingPanel::setGraph(const NeighborGraphPtr& graph) {
    const bool first = graph && !m_graph;
    m_graph = graph;
    if (graph) {
        // The graph's own settings, so that τ chosen on its scale means the same in the run
        // (a cosine τ applied to squared-L2 distances would not).
        m_base->prior.spec = graph->spec.toStdString();
        m_base->neighbors.kMax = graph->knn.kMax;
        m_base->neighbors.metric = graph->knn.metric;
    }
    if (first && m_base->file.empty() && !m_form->positiveSourceChosen() &&
        m_form->positiveSource() == QLatin1String("augment"))
        m_form->setPositiveSource(QStringLiteral("gps"));
    updateContext();
}

namespace {

// "Dataset: fashion-mnist (train, first 3000) · prior: pca:64 · τ: 0.42 · augmentation: weak"
QString contextLine(const project::Project& p) {
    const auto& n = p.neighbors;
    const QString tau = n.tauAuto ? QStringLiteral("auto")
                        : n.tau   ? QString::number(*n.tau, 'g', 4)
                                  : TrainingPanel::tr("k-mode, k = %1").arg(n.k);
    const QString augment = p.augmentPreset.empty() ? QString::fromStdString(p.augment.name)
                                                    : QString::fromStdString(p.augmentPreset);
    QString split = QString::fromStdString(p.dataset.split);
    if (p.dataset.limit > 0)
        split += TrainingPanel::tr(", first %1").arg(p.dataset.limit);
    return TrainingPanel::tr("Dataset: %1 (%2) · prior: %3 (k_max %4, %5) · τ: %6 · "
                             "augmentation: %7")
        .arg(QString::fromStdString(p.dataset.path), split, QString::fromStdString(p.prior.spec))
        .arg(n.kMax)
        .arg(n.metric == neighbors::Metric::Cosine ? QStringLiteral("cosine")
                                                   : QStringLiteral("L2"),
             tau, augment);
}

} // namespace

void TrainingPanel::updateContext() {
    const project::Project next = editedProject();
    const bool active = m_state != State::Idle && m_running;
    QString text;
    if (active) {
        text = tr("Running: %1").arg(contextLine(*m_running));
        // Against the window's own settings at the start, not the validated snapshot, which
        // holds what validation derives (resolved paths, schema defaults).
        if (project::projectToJson(next).dump() != m_startedFrom)
            text +=
                u'\n' +
                tr("Changes made since the start apply to the next run: %1").arg(contextLine(next));
    } else {
        text = contextLine(next);
    }
    m_context->setText(text);
    m_form->advanced()->showGraphSettings(m_base->neighbors.kMax,
                                          m_base->neighbors.metric == neighbors::Metric::Cosine);
    m_projectLabel->setText(m_base->file.empty()
                                ? tr("Project: not saved yet (runs go to %1)").arg(runsFolder())
                                : tr("Project: %1").arg(projectFile()));
    Q_EMIT projectEdited();
}

void TrainingPanel::setGraphNote(const QString& text) {
    m_graphNote->setText(text);
}

QString TrainingPanel::contextText() const {
    return m_context->text();
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

project::Project TrainingPanel::editedProject() const {
    project::Project project = *m_base;
    m_form->applyTo(project);
    return project;
}

void TrainingPanel::resetProject() {
    *m_base = project::Project{};
    m_form->setProject(*m_base);
    showError({});
    m_runs->setProjectFolder(projectFolder());
    updateContext();
}

bool TrainingPanel::buildProject(project::Project& out, QString& error) const {
    project::Project project = editedProject();
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
    setProject(*loaded);
    appendLog(tr("Opened project %1").arg(path));
    return true;
}

void TrainingPanel::setProject(const project::Project& project) {
    *m_base = project;
    m_form->setProject(*m_base);
    showError({});
    m_runs->setProjectFolder(projectFolder());
    updateContext();
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

} // namespace gps::ui
