// StudioSession, the wiring: which panel's choice reaches which, so that the project a run
// uses is what the tabs show, and the signals the session's own flows follow.

#include "studio_session.h"

#include "panels/augment_panel.h"
#include "panels/dataset_panel.h"
#include "panels/map_panel.h"
#include "panels/neighbor_panel.h"
#include "panels/prior_panel.h"
#include "panels/runs_panel.h"
#include "panels/training_panel.h"

namespace gps::ui {

void StudioSession::wire() {
    DatasetPanel* dataset = m_panels.dataset;
    AugmentPanel* augment = m_panels.augment;
    PriorPanel* prior = m_panels.prior;
    NeighborPanel* neighbors = m_panels.neighbors;
    TrainingPanel* training = m_panels.training;

    connect(dataset, &DatasetPanel::datasetChanged, augment, &AugmentPanel::setDataset);
    connect(dataset, &DatasetPanel::currentImageChanged, augment, &AugmentPanel::showImage);
    connect(dataset, &DatasetPanel::datasetChanged, prior, &PriorPanel::setDataset);
    connect(dataset, &DatasetPanel::datasetChanged, neighbors,
            [neighbors] { neighbors->setGraph(nullptr); });
    connect(dataset, &DatasetPanel::currentImageChanged, neighbors, &NeighborPanel::showAnchor);
    // The positive pairs in the inspector use the augmentation chosen in the Augmentations tab.
    connect(augment, &AugmentPanel::specChanged, neighbors, &NeighborPanel::setAugmentSpec);
    connect(prior, &PriorPanel::graphReady, neighbors,
            [neighbors, dataset](const NeighborGraphPtr& graph) {
                neighbors->setGraph(graph);
                neighbors->showAnchor(dataset->currentImage());
            });
    // The map follows the inspector (its graph, anchor, τ and drawn positive); a point picked on
    // the map is selected in the browser, so every tab shows it, and becomes the anchor even
    // where the browser's filter hides it.
    if (MapPanel* map = m_panels.map) {
        connect(neighbors, &NeighborPanel::selectionChanged, map, [map, neighbors] {
            map->setGraph(neighbors->graph());
            map->setSelection(neighbors->anchor(), neighbors->samplerOptions(),
                              neighbors->candidates(), neighbors->drawnPositive());
        });
        connect(map, &MapPanel::anchorClicked, neighbors, [dataset, neighbors](qint64 index) {
            dataset->selectImage(index);
            if (neighbors->anchor() != index)
                neighbors->showAnchor(index);
        });
    }
    connect(neighbors, &NeighborPanel::raiseKMaxRequested, prior, [prior](int kMax) {
        prior->setKMax(kMax);
        prior->compute();
    });

    // A run trains on what the other tabs show: the dataset, the prior's graph with its own
    // k_max and metric (so τ chosen on its scale means the same in the run), τ/k and the rule,
    // and the augmentation (a preset by name, which the run fits to the images' real shape).
    connect(dataset, &DatasetPanel::datasetOpened, training,
            [training, dataset] { training->setDataset(dataset->source(), dataset->split()); });
    connect(prior, &PriorPanel::graphReady, training, &TrainingPanel::setGraph);
    connect(neighbors, &NeighborPanel::statsUpdated, training,
            [training, neighbors] { training->setSamplerOptions(neighbors->samplerOptions()); });
    connect(augment, &AugmentPanel::specChanged, this, &StudioSession::takeAugmentation);
    connect(training, &TrainingPanel::runGraph, this, &StudioSession::onRunGraph);
    // A run's settings taken up again: its snapshot becomes a new, unsaved project.
    connect(training->runs(), &RunsPanel::duplicateRequested, this,
            &StudioSession::openAsNewProject);

    // The flows of an opened project, and the state lines.
    connect(dataset, &DatasetPanel::datasetOpened, this, &StudioSession::onDatasetOpened);
    connect(dataset, &DatasetPanel::datasetFailed, this, &StudioSession::onDatasetFailed);
    connect(prior, &PriorPanel::graphReady, this, &StudioSession::onGraphReady);
    connect(prior, &PriorPanel::recipeChanged, this, &StudioSession::onPriorChanged);
    connect(training, &TrainingPanel::projectEdited, this, [this] {
        updateGraphState();
        if (const bool modified = isModified(); modified != m_lastModified) {
            m_lastModified = modified;
            Q_EMIT titleChanged();
        }
    });
}

} // namespace gps::ui
