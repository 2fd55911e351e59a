#include "main_window.h"

#include "panels/augment_panel.h"
#include "panels/dataset_panel.h"
#include "panels/neighbor_panel.h"
#include "panels/prior_panel.h"
#include "panels/training_panel.h"

#include <QApplication>
#include <QKeySequence>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace gps::ui {

namespace {
constexpr int kStatusTimeoutMs = 8000;
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("GPS Studio"));
    m_datasetPanel = new DatasetPanel(this);
    m_augmentPanel = new AugmentPanel(this);
    m_priorPanel = new PriorPanel(this);
    m_neighborPanel = new NeighborPanel(this);

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

    buildMenus();
    statusBar()->showMessage(tr("Open a dataset to begin."));

    connect(m_datasetPanel, &DatasetPanel::datasetChanged, m_augmentPanel,
            &AugmentPanel::setDataset);
    connect(m_datasetPanel, &DatasetPanel::currentImageChanged, m_augmentPanel,
            &AugmentPanel::showImage);
    connect(m_datasetPanel, &DatasetPanel::datasetChanged, m_priorPanel, &PriorPanel::setDataset);
    connect(m_datasetPanel, &DatasetPanel::datasetChanged, m_neighborPanel,
            [this] { m_neighborPanel->setGraph(nullptr); });
    connect(m_datasetPanel, &DatasetPanel::currentImageChanged, m_neighborPanel,
            &NeighborPanel::showAnchor);
    // The positive pairs in the inspector use the augmentation chosen in the Augmentations tab.
    connect(m_augmentPanel, &AugmentPanel::specChanged, m_neighborPanel,
            &NeighborPanel::setAugmentSpec);
    connect(m_priorPanel, &PriorPanel::graphReady, m_neighborPanel,
            [this](const NeighborGraphPtr& graph) {
                m_neighborPanel->setGraph(graph);
                m_neighborPanel->showAnchor(m_datasetPanel->currentImage());
            });
    // A run trains on what the other tabs show: the dataset, the prior, τ/k and the augmentation.
    connect(m_datasetPanel, &DatasetPanel::datasetOpened, m_trainingPanel, [this] {
        m_trainingPanel->setDataset(m_datasetPanel->source(), m_datasetPanel->split());
    });
    connect(m_priorPanel, &PriorPanel::graphReady, m_trainingPanel,
            [this](const NeighborGraphPtr& graph) {
                // The graph's own settings, so that τ chosen on its scale means the same in the
                // run (a cosine τ applied to squared-L2 distances would not).
                m_trainingPanel->setPrior(graph->spec);
                m_trainingPanel->setKMax(graph->knn.kMax);
                m_trainingPanel->setCosine(graph->knn.metric == neighbors::Metric::Cosine);
            });
    connect(m_neighborPanel, &NeighborPanel::raiseKMaxRequested, m_priorPanel, [this](int kMax) {
        m_priorPanel->setKMax(kMax);
        m_priorPanel->compute();
    });
    connect(m_neighborPanel, &NeighborPanel::statsUpdated, m_trainingPanel,
            [this] { m_trainingPanel->setSamplerOptions(m_neighborPanel->samplerOptions()); });
    connect(m_augmentPanel, &AugmentPanel::specChanged, m_trainingPanel,
            &TrainingPanel::setAugmentSpec);
    connect(m_datasetPanel, &DatasetPanel::datasetOpened, this, &MainWindow::datasetOpened);
    connect(m_datasetPanel, &DatasetPanel::datasetFailed, this, &MainWindow::datasetFailed);
    const auto showStatus = [this](const QString& message) {
        statusBar()->showMessage(message, kStatusTimeoutMs);
    };
    connect(m_datasetPanel, &DatasetPanel::statusMessage, this, showStatus);
    connect(m_augmentPanel, &AugmentPanel::statusMessage, this, showStatus);
    connect(m_priorPanel, &PriorPanel::statusMessage, this, showStatus);
    connect(m_neighborPanel, &NeighborPanel::statusMessage, this, showStatus);
    connect(m_trainingPanel, &TrainingPanel::statusMessage, this, showStatus);
    resize(1280, 820);
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

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open &folder…"), QKeySequence::Open, m_datasetPanel,
                    &DatasetPanel::chooseFolder);
    file->addAction(tr("Open fi&le…"), QKeySequence(tr("Ctrl+Shift+O")), m_datasetPanel,
                    &DatasetPanel::chooseFile);
    file->addAction(tr("Open Fashion-&MNIST"), m_datasetPanel, &DatasetPanel::openFashionMnist);
    file->addSeparator();
    file->addAction(tr("Open &project…"), m_trainingPanel, &TrainingPanel::openProject);
    file->addAction(tr("&Save project as…"), m_trainingPanel, &TrainingPanel::saveProjectAs);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About GPS Studio"), this, &MainWindow::showAbout);
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
