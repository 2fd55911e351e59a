#include "panels/training_panel.h"

#include "panels/curves_panel.h"
#include "panels/runs_panel.h"
#include "panels/training_form.h"
#include "project/project.h"
#include "project/run_dir.h"
#include "project/run_name.h"
#include "session/run_session.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>

namespace gps::ui {

namespace {

constexpr int kLogLines = 5000;
constexpr int kPhaseSteps = 1000;
constexpr int kFormWidth = 430; ///< pixels the settings form starts with

QString percent(const std::optional<double>& value) {
    return value ? QStringLiteral("%1 %").arg(100.0 * *value, 0, 'f', 1) : QStringLiteral("–");
}

std::filesystem::path toPath(const QString& path) {
    return std::filesystem::path(path.toStdString());
}

} // namespace

TrainingPanel::TrainingPanel(QWidget* parent)
    : QWidget(parent), m_base(std::make_unique<project::Project>()),
      m_defaultProjectFolder(
          QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)),
      m_controller(new TrainingController(this)) {
    m_curves = new CurvesPanel(this);
    m_runs = new RunsPanel(this);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kLogLines);
    auto* bottomTabs = new QTabWidget(this);
    bottomTabs->setDocumentMode(true);
    bottomTabs->addTab(m_runs, tr("Runs"));
    bottomTabs->addTab(m_log, tr("Log"));

    auto* right = new QSplitter(Qt::Vertical, this);
    right->setObjectName(QStringLiteral("trainingCurvesAndRuns")); // the window restores it
    right->addWidget(m_curves);
    right->addWidget(bottomTabs);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 1);
    right->setChildrenCollapsible(false);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(buildSettings(), 1);
    leftLayout->addWidget(buildControls());

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("trainingFormAndCurves"));
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    // Wide enough for the form's fields on a first start (the window restores the user's).
    splitter->setSizes({kFormWidth, 3 * kFormWidth});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_controller, &TrainingController::stepped, this, &TrainingPanel::onSteps);
    connect(m_controller, &TrainingController::evaluated, m_curves, &CurvesPanel::addEval);
    connect(m_controller, &TrainingController::epochEnded, this,
            [this](const train::EpochMetrics& m) {
                appendLog(tr("epoch %1: mean loss %2, %3 s, %4 images/s")
                              .arg(m.epoch)
                              .arg(m.meanLoss, 0, 'g', 5)
                              .arg(m.seconds, 0, 'f', 1)
                              .arg(m.imagesPerSecond, 0, 'f', 0));
            });
    connect(m_controller, &TrainingController::evaluated, this,
            [this](const train::EvalMetrics& m) {
                if (m.ofPrior)
                    return; // the session's message has said it
                appendLog(tr("evaluation after epoch %1: linear probe %2, kNN %3")
                              .arg(m.epoch)
                              .arg(percent(m.linearProbeAcc), percent(m.knnAcc)));
            });
    connect(m_controller, &TrainingController::message, this, &TrainingPanel::onMessage);
    connect(m_controller, &TrainingController::phase, this, &TrainingPanel::onPhase);
    connect(m_controller, &TrainingController::paused, this, [this](bool paused) {
        if (m_state == State::Running || m_state == State::Paused)
            setState(paused ? State::Paused : State::Running);
    });
    connect(m_controller, &TrainingController::graphUsed, this, &TrainingPanel::runGraph);
    connect(m_controller, &TrainingController::finished, this, &TrainingPanel::onFinished);
    connect(m_controller, &TrainingController::failed, this, &TrainingPanel::onFailed);
    connect(m_form, &TrainingForm::edited, this, &TrainingPanel::updateContext);
    connect(m_runs, &RunsPanel::overlayAdded, m_curves, &CurvesPanel::setOverlay);
    connect(m_runs, &RunsPanel::overlayRemoved, m_curves, &CurvesPanel::removeOverlay);
    connect(m_runs, &RunsPanel::statusMessage, this, &TrainingPanel::statusMessage);
    connect(m_curves, &CurvesPanel::statusMessage, this, &TrainingPanel::statusMessage);

    m_runs->setProjectFolder(projectFolder());
    updateContext();
    setState(State::Idle);
}

TrainingPanel::~TrainingPanel() = default; // the controller stops and joins its thread

QWidget* TrainingPanel::buildSettings() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    auto* fileRow = new QHBoxLayout;
    auto* open = new QPushButton(tr("Open project…"), page);
    auto* save = new QPushButton(tr("Save project…"), page);
    // The window opens and saves projects, so that opening one sets every tab.
    connect(open, &QPushButton::clicked, this, &TrainingPanel::openProjectRequested);
    connect(save, &QPushButton::clicked, this, &TrainingPanel::saveProjectRequested);
    fileRow->addWidget(open);
    fileRow->addWidget(save);
    fileRow->addStretch(1);
    layout->addLayout(fileRow);
    m_projectLabel = new QLabel(page);
    m_projectLabel->setWordWrap(true);
    m_context = new QLabel(page);
    m_context->setWordWrap(true);
    m_context->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_graphNote = new QLabel(page);
    m_graphNote->setWordWrap(true);
    m_graphNote->setObjectName(QStringLiteral("graphNote"));
    layout->addWidget(m_projectLabel);
    layout->addWidget(m_context);
    layout->addWidget(m_graphNote);
    m_form = new TrainingForm(page);
    layout->addWidget(m_form, 1);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    scroll->setMinimumWidth(320);
    return scroll;
}

QWidget* TrainingPanel::buildControls() {
    auto* box = new QWidget(this);
    auto* layout = new QVBoxLayout(box);
    auto* buttons = new QHBoxLayout;
    m_start = new QPushButton(tr("Start"), box);
    m_pause = new QPushButton(tr("Pause"), box);
    m_stop = new QPushButton(tr("Stop"), box);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_stop->setObjectName(QStringLiteral("stopButton"));
    connect(m_start, &QPushButton::clicked, this, [this] { start(); });
    connect(m_pause, &QPushButton::clicked, this, &TrainingPanel::togglePause);
    connect(m_stop, &QPushButton::clicked, this, &TrainingPanel::stop);
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_stop);
    layout->addLayout(buttons);
    m_progress = new QProgressBar(box);
    m_progress->setTextVisible(true);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("idle"));
    layout->addWidget(m_progress);
    m_rate = new QLabel(box);
    m_device = new QLabel(box);
    m_summary = new QLabel(box);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = new QLabel(box);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();
    for (QLabel* label : {m_rate, m_device, m_summary, m_error})
        layout->addWidget(label);
    return box;
}

bool TrainingPanel::start() {
    if (m_state != State::Idle || m_controller->isRunning())
        return false;
    project::Project project;
    QString error;
    if (!buildProject(project, error)) {
        showError(error);
        appendLog(tr("Not started: %1").arg(error));
        return false;
    }
    session::SessionOptions options;
    if (project.file.empty()) {
        // runSession names the folder under the project file's folder; without a file, under
        // the default project folder rather than wherever the studio was started.
        auto dir = project::createRunDir(toPath(projectFolder()), project::runFolderName(project));
        if (!dir) {
            showError(QString::fromStdString(dir.error().message));
            return false;
        }
        options.runDir = dir->path;
    }
    // The graph on screen goes with the run; the run checks that it fits (the split's
    // fingerprint, the prior, k_max and metric) and otherwise builds its own.
    if (m_graph && m_graph->built)
        options.graph = m_graph->built;
    showError({});
    m_runEpochs = project.train.epochs;
    m_curves->clear();
    m_runListed = false;
    m_rate->clear();
    m_summary->clear();
    appendLog(tr("Starting %1 (%2 positives) on %3")
                  .arg(m_form->method(), m_form->positiveSource(),
                       QString::fromStdString(project.dataset.path)));
    if (!m_controller->start(project, options))
        return false;
    m_running = std::make_unique<project::Project>(project);
    m_startedFrom = project::projectToJson(editedProject()).dump();
    setState(State::Running);
    Q_EMIT runStarted();
    return true;
}

void TrainingPanel::togglePause() {
    if (m_state == State::Running) {
        m_controller->pause();
        setState(State::Paused); // the request; the thread stops at its next step
        appendLog(tr("Pausing…"));
    } else if (m_state == State::Paused) {
        m_controller->resume();
        setState(State::Running);
        appendLog(tr("Resumed"));
    }
}

void TrainingPanel::stop() {
    if (m_state != State::Running && m_state != State::Paused)
        return;
    m_controller->stop();
    setState(State::Stopping);
    appendLog(tr("Stopping…"));
}

void TrainingPanel::setState(State state) {
    m_state = state;
    const bool active = state == State::Running || state == State::Paused;
    m_start->setEnabled(state == State::Idle);
    m_pause->setEnabled(active);
    m_pause->setText(state == State::Paused ? tr("Resume") : tr("Pause"));
    m_stop->setEnabled(active);
    if (state == State::Stopping)
        m_progress->setFormat(tr("stopping…"));
    updateContext();
}

void TrainingPanel::showError(const QString& message) {
    m_errorText = message;
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    if (!message.isEmpty())
        Q_EMIT statusMessage(message);
}

void TrainingPanel::appendLog(const QString& line) {
    const QString time = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
    m_log->appendPlainText(time + QLatin1Char(' ') + line);
}

void TrainingPanel::onSteps(const StepBatch& steps) {
    if (steps.empty())
        return;
    if (!m_runListed) { // its folder exists by its first step: list it as running
        m_runListed = true;
        m_runs->refresh();
    }
    for (const train::StepMetrics& step : steps)
        m_curves->addStep(step);
    const train::StepMetrics& metrics = steps.back();
    const int total = int(std::min<std::int64_t>(metrics.totalSteps, INT_MAX));
    m_progress->setRange(0, std::max(1, total));
    m_progress->setValue(int(std::min<std::int64_t>(metrics.step, total)));
    m_progress->setFormat(tr("epoch %1/%2 · step %3/%4")
                              .arg(metrics.epoch + 1)
                              .arg(m_runEpochs)
                              .arg(metrics.step)
                              .arg(metrics.totalSteps));
    m_rate->setText(tr("loss %1 · lr %2 · %3 images/s · waiting for data %4 %")
                        .arg(metrics.loss, 0, 'g', 5)
                        .arg(metrics.lr, 0, 'g', 3)
                        .arg(metrics.imagesPerSecond, 0, 'f', 0)
                        .arg(100.0 * metrics.dataWaitShare, 0, 'f', 0));
}

void TrainingPanel::onPhase(const QString& name, double fraction) {
    m_progress->setRange(0, kPhaseSteps);
    m_progress->setValue(int(std::clamp(fraction, 0.0, 1.0) * kPhaseSteps));
    m_progress->setFormat(name + QStringLiteral(" %p%"));
}

void TrainingPanel::onMessage(const QString& line) {
    appendLog(line);
    // The session announces its device as "device: cpu (2 threads)".
    if (line.startsWith(QLatin1String("device:")))
        m_device->setText(tr("Device: %1").arg(line.mid(7).trimmed()));
}

void TrainingPanel::onFinished(const session::RunSummary& outcome) {
    setState(State::Idle);
    m_progress->setFormat(outcome.stopped ? tr("stopped") : tr("done"));
    if (!outcome.device.empty())
        m_device->setText(tr("Device: %1").arg(QString::fromStdString(outcome.device)));
    QString text = outcome.stopped ? tr("Stopped after %n epoch(s)", nullptr, outcome.epochs)
                                   : tr("Finished %n epoch(s)", nullptr, outcome.epochs);
    text += tr(": loss %1 · linear probe %2 · kNN %3 · online probe %4 · prior: linear %5, "
               "kNN %6 · %7 images/s in %8 s")
                .arg(outcome.finalLoss, 0, 'g', 5)
                .arg(percent(outcome.linearProbeAcc), percent(outcome.knnAcc),
                     percent(outcome.onlineProbeAcc), percent(outcome.priorLinearProbeAcc),
                     percent(outcome.priorKnnAcc))
                .arg(outcome.imagesPerSecond, 0, 'f', 0)
                .arg(outcome.seconds, 0, 'f', 1);
    m_summary->setText(text);
    appendLog(text);
    if (!outcome.runDir.empty())
        appendLog(tr("Run folder: %1").arg(QString::fromStdString(outcome.runDir.string())));
    for (const std::string& warning : outcome.warnings)
        appendLog(tr("Warning: %1").arg(QString::fromStdString(warning)));
    m_runs->refresh();
    Q_EMIT statusMessage(text);
    Q_EMIT runFinished(outcome);
}

void TrainingPanel::onFailed(const QString& message) {
    setState(State::Idle);
    m_progress->setFormat(tr("failed"));
    showError(message);
    appendLog(tr("Error: %1").arg(message));
    m_runs->refresh(); // a NaN stop keeps its folder and last good checkpoint
    Q_EMIT runFailed(message);
}

QString TrainingPanel::summaryText() const {
    return m_summary->text();
}

QString TrainingPanel::logText() const {
    return m_log->toPlainText();
}

} // namespace gps::ui
