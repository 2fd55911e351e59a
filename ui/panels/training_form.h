#pragma once
/// The training settings of a project as a form: SSL method (with its description and a
/// hyper-parameter form generated from its schema), backbone and width, positive source, and
/// the training fields (epochs, batch, optimiser, lr, weight decay, seed, device, how many
/// training and test images). It reads from and writes into a project::Project; the sections it
/// does not show (dataset path, prior, neighbours, augmentation, evaluation) are left as they are.
///
/// Picking another method rebuilds the hyper-parameter form at that method's defaults and sets
/// the optimiser, lr and weight decay to its recipe (ssl::MethodInfo); setProject does not.

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;

namespace gps::project {
struct Project;
}

namespace gps::ui {

class HParamForm;
class TrainingAdvancedForm;

class TrainingForm : public QWidget {
    Q_OBJECT

public:
    explicit TrainingForm(QWidget* parent = nullptr);

    /// Shows `project`'s method, hyper-parameters, backbone, positives, train fields and limits.
    void setProject(const project::Project& project);
    /// Writes the form's fields into `project` (no validation: parseProject does that).
    void applyTo(project::Project& project) const;

    /// Selects a registered method by name as the user would; false when unknown.
    bool setMethod(const QString& name);
    QString method() const;
    /// Positive source by its project spelling: augment, gps, semantic or synthetic.
    bool setPositiveSource(const QString& name);
    QString positiveSource() const;
    /// True once the user picked a positive source in the form (setProject clears it), so that
    /// a default the window chooses for them never overrides their choice.
    bool positiveSourceChosen() const { return m_positivesChosen; }
    bool setBackbone(const QString& name, int width = 0);

    HParamForm* hparamForm() const { return m_hparams; }
    TrainingAdvancedForm* advanced() const { return m_advanced; }
    QString methodDescription() const;

    // Direct access to the training fields (tests, the panel's quick presets).
    QSpinBox* epochsBox() const { return m_epochs; }
    QSpinBox* batchBox() const { return m_batch; }
    QDoubleSpinBox* lrBox() const { return m_lr; }
    QSpinBox* limitBox() const { return m_limit; }
    QSpinBox* testLimitBox() const { return m_testLimit; }

Q_SIGNALS:
    /// A registered method was chosen (by the user or setMethod); the form was rebuilt.
    void methodChanged(const QString& name);
    /// Any field changed (by the user or a setter).
    void edited();

private:
    void onMethodChosen(int index);
    void showMethod(const QString& name, bool applyRecipe);

    bool m_settingProject = false;
    bool m_positivesChosen = false;
    QComboBox* m_method = nullptr;
    QLabel* m_description = nullptr;
    HParamForm* m_hparams = nullptr;
    QComboBox* m_backbone = nullptr;
    QSpinBox* m_width = nullptr;
    QComboBox* m_positives = nullptr;
    QSpinBox* m_epochs = nullptr;
    QSpinBox* m_batch = nullptr;
    QComboBox* m_optimizer = nullptr;
    QDoubleSpinBox* m_lr = nullptr;
    QDoubleSpinBox* m_weightDecay = nullptr;
    QSpinBox* m_seed = nullptr;
    QComboBox* m_device = nullptr;
    QSpinBox* m_limit = nullptr;
    QSpinBox* m_testLimit = nullptr;
    TrainingAdvancedForm* m_advanced = nullptr;
};

} // namespace gps::ui
