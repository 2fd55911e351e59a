#pragma once
/// The settings of a project a first run does not need, folded under "Advanced" below the
/// training form: the schedule's warm-up and floor, the optimiser's momentum, LARS trust and
/// clip, AdamW's betas, logging, checkpoints, data threads, the online probe, the evaluation's
/// cadence and probes, and the extra positive sources' weights. The neighbour graph's k_max and
/// metric are shown, not edited: they are the graph's, set where it is built (the Neighbours
/// tab), so that a run cannot ask for another graph than the one on screen.
///
/// Each row is a field of project::Project with the project file's key in its tooltip; the
/// editors' ranges are the project file's, so a value they hold always validates.

#include <QWidget>

#include <vector>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace gps::project {
struct Project;
}

namespace gps::ui {

class TrainingAdvancedForm : public QWidget {
    Q_OBJECT

public:
    explicit TrainingAdvancedForm(QWidget* parent = nullptr);

    void setProject(const project::Project& project);
    /// Shows the neighbour graph's k_max and metric (read-only here).
    void showGraphSettings(int kMax, bool cosine);
    /// Writes every editable field into `project`.
    void applyTo(project::Project& project) const;

    bool isExpanded() const;
    void setExpanded(bool expanded);
    /// The editor of the project key `key` ("train.warmup_epochs"), or nullptr (tests).
    QWidget* editor(const QString& key) const;
    /// The read-only line about the neighbour graph.
    QString graphText() const;

private:
    QToolButton* m_toggle = nullptr;
    QWidget* m_body = nullptr;
    QLabel* m_graph = nullptr;
    std::vector<QDoubleSpinBox*> m_numbers; // parallel to the number fields' table
    std::vector<QSpinBox*> m_integers;      // parallel to the integer fields' table
    std::vector<QCheckBox*> m_switches;     // parallel to the switch fields' table
};

} // namespace gps::ui
