#include "main_window.h"

#include "panels/augment_panel.h"
#include "panels/curves_panel.h"
#include "panels/dataset_panel.h"
#include "panels/map_panel.h"
#include "panels/neighbor_panel.h"
#include "panels/prior_panel.h"
#include "panels/training_panel.h"
#include "studio_session.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace gps::ui {

namespace {
constexpr int kStatusTimeoutMs = 8000;
/// Large enough that no panel is cut off on a first start (a 1366 × 768 laptop fits it).
constexpr QSize kDefaultSize(1320, 840);
constexpr double kPresentationScale = 1.4;
const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kSplitterKey = QStringLiteral("window/splitter/");
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    m_datasetPanel = new DatasetPanel(this);
    m_augmentPanel = new AugmentPanel(this);
    m_priorPanel = new PriorPanel(this);
    m_neighborPanel = new NeighborPanel(this);
    m_mapPanel = new MapPanel(this);

    // The augmentations and the neighbours share the side of the dataset browser, so the image
    // selected in the browser is the one both of them show.
    m_neighbourPage = new QWidget(this);
    auto* neighbourLayout = new QVBoxLayout(m_neighbourPage);
    neighbourLayout->addWidget(m_priorPanel);
    neighbourLayout->addWidget(m_neighborPanel, 1);
    m_sideTabs = new QTabWidget(this);
    m_sideTabs->setDocumentMode(true);
    m_sideTabs->addTab(m_augmentPanel, tr("Augmentations"));
    m_sideTabs->addTab(m_neighbourPage, tr("Neighbours"));
    m_sideTabs->addTab(m_mapPanel, tr("Map"));

    auto* dataSplitter = new QSplitter(Qt::Horizontal, this);
    dataSplitter->addWidget(m_datasetPanel);
    dataSplitter->addWidget(m_sideTabs);
    dataSplitter->setStretchFactor(0, 3);
    dataSplitter->setStretchFactor(1, 2);
    dataSplitter->setChildrenCollapsible(false);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(dataSplitter, tr("Data && augmentation"));
    m_trainingPanel = new TrainingPanel(this);
    m_tabs->addTab(m_trainingPanel, tr("Training"));
    setCentralWidget(m_tabs);

    m_session = new StudioSession({.dataset = m_datasetPanel,
                                   .augment = m_augmentPanel,
                                   .prior = m_priorPanel,
                                   .neighbors = m_neighborPanel,
                                   .training = m_trainingPanel,
                                   .map = m_mapPanel},
                                  this);
    buildMenus();
    statusBar()->showMessage(tr("Open a dataset to begin."));

    connect(m_session, &StudioSession::titleChanged, this, &MainWindow::updateTitle);
    connect(m_session, &StudioSession::recentChanged, this, &MainWindow::rebuildRecentMenu);
    connect(m_trainingPanel, &TrainingPanel::openProjectRequested, this,
            &MainWindow::chooseProject);
    connect(m_trainingPanel, &TrainingPanel::saveProjectRequested, this,
            &MainWindow::saveProjectAs);
    connect(m_datasetPanel, &DatasetPanel::datasetOpened, this, &MainWindow::datasetOpened);
    connect(m_datasetPanel, &DatasetPanel::datasetFailed, this, &MainWindow::datasetFailed);
    const auto showStatus = [this](const QString& message) {
        statusBar()->showMessage(message, kStatusTimeoutMs);
    };
    connect(m_datasetPanel, &DatasetPanel::statusMessage, this, showStatus);
    connect(m_augmentPanel, &AugmentPanel::statusMessage, this, showStatus);
    connect(m_priorPanel, &PriorPanel::statusMessage, this, showStatus);
    connect(m_neighborPanel, &NeighborPanel::statusMessage, this, showStatus);
    connect(m_mapPanel, &MapPanel::statusMessage, this, showStatus);
    connect(m_trainingPanel, &TrainingPanel::statusMessage, this, showStatus);
    connect(m_session, &StudioSession::statusMessage, this, showStatus);
    rebuildRecentMenu();
    updateTitle();
    dataSplitter->setObjectName(QStringLiteral("data"));
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::openDataset(const QString& pathOrName) {
    m_datasetPanel->openDataset(pathOrName);
}

void MainWindow::setDataset(data::DatasetPtr dataset, const QString& source) {
    m_datasetPanel->setDataset(std::move(dataset), source);
}

void MainWindow::showNeighbours() {
    m_sideTabs->setCurrentWidget(m_neighbourPage);
}

void MainWindow::showMap() {
    m_sideTabs->setCurrentWidget(m_mapPanel);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_trainingPanel->state() != TrainingPanel::State::Idle) {
        const auto answer = QMessageBox::question(
            this, tr("Quit GPS Studio"),
            tr("A run is still training. Stop it and quit? Its last checkpoint is kept, so "
               "`gps-studio-cli train --resume` can continue it."),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
    }
    if (m_session->isModified()) {
        const auto answer = QMessageBox::question(
            this, tr("Quit GPS Studio"),
            tr("The project %1 has changes that are not saved. Save them first?")
                .arg(m_session->displayName()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !saveProject())) {
            event->ignore();
            return;
        }
    }
    saveLayout();
    event->accept();
}

bool MainWindow::openProject(const QString& path) {
    if (m_session->openProject(path))
        return true;
    if (isVisible())
        QMessageBox::warning(this, tr("Open project"), m_trainingPanel->errorText());
    return false;
}

void MainWindow::chooseProject() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open project"), m_session->projectFile(), tr("Projects (*.json);;All files (*)"));
    if (!path.isEmpty())
        openProject(path);
}

bool MainWindow::saveProject() {
    if (m_session->projectFile().isEmpty())
        return saveProjectAs();
    return m_session->save();
}

bool MainWindow::saveProjectAs() {
    const QString start =
        m_session->projectFile().isEmpty() ? QDir::homePath() : m_session->projectFile();
    QString path =
        QFileDialog::getSaveFileName(this, tr("Save project"), start, tr("Projects (*.json)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    return m_session->saveAs(path);
}

void MainWindow::updateTitle() {
    // [*] is where Qt puts the modified mark.
    setWindowTitle(tr("%1[*] — GPS Studio").arg(m_session->displayName()));
    setWindowModified(m_session->isModified());
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = m_session->recentProjects();
    for (int i = 0; i < recent.size(); ++i) {
        const QString& path = recent[i];
        QAction* action =
            m_recentMenu->addAction(tr("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this,
                                    [this, path] { openProject(path); });
        action->setToolTip(path);
        action->setStatusTip(path);
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New project"), QKeySequence::New, m_session, &StudioSession::newProject);
    file->addAction(tr("&Open project…"), QKeySequence::Open, this, &MainWindow::chooseProject);
    m_recentMenu = file->addMenu(tr("Open &recent project"));
    file->addAction(tr("&Save project"), QKeySequence::Save, this, &MainWindow::saveProject);
    file->addAction(tr("Save project &as…"), QKeySequence::SaveAs, this,
                    &MainWindow::saveProjectAs);
    file->addSeparator();
    file->addAction(tr("Open dataset &folder…"), QKeySequence(tr("Ctrl+Shift+O")), m_datasetPanel,
                    &DatasetPanel::chooseFolder);
    file->addAction(tr("Open dataset fi&le…"), m_datasetPanel, &DatasetPanel::chooseFile);
    file->addAction(tr("Open Fashion-&MNIST"), m_datasetPanel, &DatasetPanel::openFashionMnist);
    file->addSeparator();
    QMenu* exports = file->addMenu(tr("&Export"));
    CurvesPanel* curves = m_trainingPanel->curves();
    exports->addAction(tr("&Loss plot…"), curves, &CurvesPanel::exportLossPlot);
    exports->addAction(tr("&Accuracy plot…"), curves, &CurvesPanel::exportAccuracyPlot);
    exports->addAction(tr("Training &curves as CSV…"), curves, &CurvesPanel::exportCsv);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    m_presentation = view->addAction(tr("&Presentation mode"), QKeySequence(Qt::Key_F5), this,
                                     &MainWindow::setPresentation);
    m_presentation->setCheckable(true);
    m_presentation->setToolTip(tr("Larger text and thicker plot lines, for a projector"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About GPS Studio"), this, &MainWindow::showAbout);
}

void MainWindow::setPresentation(bool on) {
    if (m_presentation->isChecked() != on)
        m_presentation->setChecked(on);
    if (!m_normalFont)
        m_normalFont = QApplication::font();
    QFont font = *m_normalFont;
    if (on)
        font.setPointSizeF(font.pointSizeF() * kPresentationScale);
    QApplication::setFont(font);
    m_trainingPanel->curves()->setPresentation(on);
}

bool MainWindow::presentation() const {
    return m_presentation->isChecked();
}

void MainWindow::restoreLayout() {
    const QSettings settings;
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray()))
        resize(kDefaultSize);
    for (QSplitter* splitter : findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            splitter->restoreState(
                settings.value(kSplitterKey + splitter->objectName()).toByteArray());
}

void MainWindow::saveLayout() const {
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    for (const QSplitter* splitter : findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            settings.setValue(kSplitterKey + splitter->objectName(), splitter->saveState());
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About GPS Studio"),
        tr("<h3>GPS Studio %1</h3><p>A desktop studio for self-supervised learning: browse a "
           "dataset, preview augmentations, build neighbour graphs from priors and train SSL "
           "methods.</p><p>Built with Qt %2, LibTorch, FAISS and OpenCV.</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

} // namespace gps::ui
