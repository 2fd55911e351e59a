#include "studio_session.h"

#include "panels/augment_panel.h"
#include "panels/dataset_panel.h"
#include "panels/neighbor_panel.h"
#include "panels/prior_panel.h"
#include "panels/training_panel.h"
#include "project/project.h"
#include "session/prior_graph.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace gps::ui {

namespace {

const QString kRecentKey = QStringLiteral("recentProjects");

std::string projectText(const project::Project& project) {
    return project::projectToJson(project).dump();
}

} // namespace

struct StudioSession::Pending {
    project::NeighborSection neighbors;
    bool waitForDataset = false;
    bool computeGraph = false;
    bool graphRequested = false; ///< the prior panel is computing the project's graph
};

StudioSession::StudioSession(const Panels& panels, QObject* parent)
    : QObject(parent), m_panels(panels) {
    wire();
    markSaved();
    updateGraphState();
}

StudioSession::~StudioSession() = default;

void StudioSession::newProject() {
    m_pending.reset();
    m_panels.training->resetProject();
    // What the tabs show stays on screen, so it is what the new project holds.
    if (!m_panels.dataset->source().isEmpty())
        m_panels.training->setDataset(m_panels.dataset->source(), m_panels.dataset->split());
    if (const auto& graph = m_panels.prior->graph()) {
        m_panels.training->setGraph(graph);
        m_panels.training->setSamplerOptions(m_panels.neighbors->samplerOptions());
    }
    if (const auto spec = m_panels.augment->spec())
        takeAugmentation(*spec);
    markSaved();
}

void StudioSession::takeAugmentation(const augment::AugmentSpec& spec) {
    // A preset by name, which the run fits to the images' real shape; a custom spec as it is.
    const QString preset = m_panels.augment->presetName();
    if (preset.isEmpty())
        m_panels.training->setAugmentSpec(spec);
    else
        m_panels.training->setAugmentPreset(preset);
}

bool StudioSession::openProject(const QString& path) {
    if (!m_panels.training->loadProjectFile(path)) {
        Q_EMIT statusMessage(m_panels.training->errorText());
        return false;
    }
    const project::Project project = m_panels.training->baseProject();
    m_savedText = projectText(project);
    addRecent(QFileInfo(path).absoluteFilePath());
    applyToPanels(project);
    m_lastModified = isModified();
    Q_EMIT titleChanged();
    return true;
}

bool StudioSession::openAsNewProject(const QString& snapshot) {
    auto loaded = project::loadProject(std::filesystem::path(snapshot.toStdString()));
    if (!loaded) {
        Q_EMIT statusMessage(QString::fromStdString(loaded.error().message));
        return false;
    }
    project::Project project = std::move(loaded).value();
    project.file.clear();
    project.name.clear(); // named after the file it is saved to, like any new project
    m_panels.training->setProject(project);
    m_savedText.clear(); // nothing saved: modified until it is
    applyToPanels(project);
    m_lastModified = isModified();
    Q_EMIT titleChanged();
    Q_EMIT statusMessage(tr("Opened the project of run %1 as a new project")
                             .arg(QFileInfo(snapshot).dir().dirName()));
    return true;
}

void StudioSession::applyToPanels(const project::Project& project) {
    m_pending = std::make_unique<Pending>();
    m_pending->neighbors = project.neighbors;
    m_pending->computeGraph = project.positives.source != train::PositiveSource::Augment;

    PriorPanel* prior = m_panels.prior;
    if (!prior->setSpec(QString::fromStdString(project.prior.spec))) {
        // A prior the panel cannot show (run:DIR): the tabs keep theirs, the project its own.
        m_pending->computeGraph = false;
        Q_EMIT statusMessage(tr("The prior %1 is not one the Prior panel offers; a run builds "
                                "its graph.")
                                 .arg(QString::fromStdString(project.prior.spec)));
    }
    prior->setPriorOptions(project.prior.options);
    prior->setKMax(project.neighbors.kMax);
    prior->setCosine(project.neighbors.metric == neighbors::Metric::Cosine);
    if (project.augmentPreset.empty())
        m_panels.augment->setCustomSpec(project.augment, tr("Project: %1").arg(displayName()),
                                        projectFile());
    else
        m_panels.augment->setPreset(QString::fromStdString(project.augmentPreset));

    const QString source = QString::fromStdString(project.dataset.path);
    const QString split = QString::fromStdString(project.dataset.split);
    if (m_panels.dataset->source() != source || m_panels.dataset->split() != split) {
        m_pending->waitForDataset = true;
        m_panels.dataset->openDataset(source, split);
        return;
    }
    continueOpening();
}

void StudioSession::continueOpening() {
    m_pending->waitForDataset = false;
    if (!m_pending->computeGraph) {
        settle();
        return;
    }
    const NeighborGraphPtr& shown = m_panels.prior->graph();
    if (shown && shown->built && shown->dataset == m_panels.dataset->dataset() &&
        shown->built->madeWith(session::graphRecipe(m_panels.training->baseProject()))) {
        applyNeighbours(m_pending->neighbors, *shown); // already on screen: not built again
        settle();
        return;
    }
    m_pending->graphRequested = true;
    m_panels.prior->compute(); // graphReady → onGraphReady; a failure settles through recipeChanged
}

void StudioSession::onDatasetOpened() {
    if (m_pending && m_pending->waitForDataset)
        continueOpening();
}

void StudioSession::onDatasetFailed(const QString& message) {
    if (m_pending && m_pending->waitForDataset) {
        Q_EMIT statusMessage(tr("The project's dataset did not open: %1").arg(message));
        settle();
    }
}

void StudioSession::onPriorChanged() {
    const PriorPanel::State state = m_panels.prior->state();
    if (m_pending && m_pending->graphRequested &&
        (state == PriorPanel::State::Failed || state == PriorPanel::State::Cancelled))
        settle(); // the project's graph failed or was cancelled: the rest is set
    updateGraphState();
}

void StudioSession::onGraphReady(const NeighborGraphPtr& graph) {
    if (!m_pending || !m_pending->graphRequested || !graph)
        return;
    applyNeighbours(m_pending->neighbors, *graph);
    settle();
}

void StudioSession::onRunGraph(const session::PriorGraphPtr& graph) {
    const NeighborGraphPtr& shown = m_panels.prior->graph();
    if (!graph || (shown && shown->built == graph))
        return; // the run trains with the graph on screen
    if (m_panels.prior->isRunning()) {
        // The user's own computation is not thrown away for the run's graph.
        Q_EMIT statusMessage(tr("The run builds and trains with its own graph (%n image(s)); the "
                                "Neighbours tab keeps the computation you started.",
                                nullptr, int(graph->graph->rows)));
        return;
    }
    const project::Project* running = m_panels.training->runningProject();
    auto wrapped = makeNeighborGraph(graph);
    m_panels.prior->showGraph(wrapped, tr("the graph the run trains with (%n training image(s))",
                                          nullptr, int(graph->graph->rows)));
    if (running)
        applyNeighbours(running->neighbors, *wrapped);
}

void StudioSession::applyNeighbours(const project::NeighborSection& section,
                                    const NeighborGraph& graph) {
    NeighborPanel* panel = m_panels.neighbors;
    panel->setRule(section.rule);
    panel->setIncludeAnchor(section.includeAnchor);
    if (section.tauAuto || section.tau) {
        panel->setKMode(false);
        panel->setTau(section.tau ? double(*section.tau) : double(graph.suggestedTau));
    } else {
        panel->setK(section.k);
        panel->setKMode(true);
    }
}

void StudioSession::settle() {
    if (!m_pending)
        return;
    m_pending.reset();
    updateGraphState();
    Q_EMIT projectSettled();
}

bool StudioSession::save() {
    const QString file = projectFile();
    return !file.isEmpty() && saveAs(file);
}

bool StudioSession::saveAs(const QString& path) {
    if (!m_panels.training->saveProjectFile(path)) {
        Q_EMIT statusMessage(m_panels.training->errorText());
        return false;
    }
    markSaved();
    addRecent(QFileInfo(path).absoluteFilePath());
    Q_EMIT statusMessage(tr("Saved %1").arg(path));
    return true;
}

void StudioSession::markSaved() {
    m_savedText = projectText(m_panels.training->editedProject());
    m_lastModified = false;
    Q_EMIT titleChanged();
}

QString StudioSession::projectFile() const {
    return m_panels.training->projectFile();
}

QString StudioSession::displayName() const {
    const QString file = projectFile();
    return file.isEmpty() ? tr("untitled") : QFileInfo(file).fileName();
}

bool StudioSession::isModified() const {
    return projectText(m_panels.training->editedProject()) != m_savedText;
}

QStringList StudioSession::recentProjects() const {
    return QSettings().value(kRecentKey).toStringList();
}

void StudioSession::addRecent(const QString& path) {
    QStringList recent = recentProjects();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
    Q_EMIT recentChanged();
}

void StudioSession::updateGraphState() {
    const NeighborGraphPtr& graph = m_panels.prior->graph();
    GraphState state = GraphState::Ready;
    if (m_panels.prior->isRunning())
        state = GraphState::Computing;
    else if (!graph)
        state = GraphState::Missing;
    else if (graph->built && !graph->built->madeWith(m_panels.prior->recipe()))
        state = GraphState::Stale;
    if (state != m_graphState) {
        m_graphState = state;
        Q_EMIT graphStateChanged();
    }
    m_panels.training->setGraphNote(graphStateText());
}

QString StudioSession::graphStateText() const {
    const NeighborGraphPtr& graph = m_panels.prior->graph();
    if (m_graphState == GraphState::Missing)
        return tr("Neighbour graph: none on screen; a run with neighbour positives builds its "
                  "own.");
    if (m_graphState == GraphState::Computing)
        return tr("Neighbour graph: computing…");
    QString text =
        tr("Neighbour graph: %1 on %n image(s), k_max %2", nullptr, int(graph->graph->rows))
            .arg(graph->spec)
            .arg(graph->knn.kMax);
    // What a run does with it, judged as the run judges it: against the project's recipe and
    // the number of images it trains on.
    const project::Project next = m_panels.training->editedProject();
    if (graph->built && !graph->built->madeWith(session::graphRecipe(next)))
        text += tr("; the project asks for another prior or k_max, so a run builds its own.");
    else if (next.dataset.limit > 0 && next.dataset.limit != std::size_t(graph->graph->rows))
        text += tr("; the run trains on the first %1 images and builds their graph (shown here "
                   "once built).")
                    .arg(next.dataset.limit);
    else
        text += tr("; a run trains with this graph.");
    if (m_graphState == GraphState::Stale)
        text += u' ' + tr("The prior settings changed since it was computed: press Compute to "
                          "use them.");
    return text;
}

} // namespace gps::ui
