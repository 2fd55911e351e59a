#pragma once
/// A form generated from an SSL method's hyper-parameter schema (ssl::HParamSpec): one row per
/// parameter, a QDoubleSpinBox (Float), QSpinBox (Int) or QCheckBox (Bool) limited to the
/// schema's range, starting at its default, with the help line as tooltip.
/// The editors cannot hold a value outside the range, so values() always validates.

#include "ssl/hparams.h"

#include <QWidget>

#include <vector>

class QFormLayout;

namespace gps::ui {

class HParamForm : public QWidget {
    Q_OBJECT

public:
    explicit HParamForm(QWidget* parent = nullptr);

    /// Replaces the rows with one per entry of `schema`, each at its default.
    void setSchema(const std::vector<ssl::HParamSpec>& schema);
    const std::vector<ssl::HParamSpec>& schema() const { return m_schema; }

    /// Every parameter of the schema by name (Bool: 0 or 1).
    ssl::HParams values() const;
    /// Sets the named parameters; names the schema lacks are ignored, values outside the range
    /// are clamped to it by the editors. Returns the number of names applied.
    int setValues(const ssl::HParams& values);
    void resetToDefaults();

    /// The editor of parameter `name` (QDoubleSpinBox, QSpinBox or QCheckBox), or nullptr.
    QWidget* editor(const QString& name) const;
    int rowCount() const { return int(m_editors.size()); }

    /// Decimals a Float editor shows for `spec`: enough for its default and bounds (2..8).
    static int decimalsFor(const ssl::HParamSpec& spec);

Q_SIGNALS:
    /// The user changed a value (not emitted by setSchema/setValues).
    void valuesChanged();

private:
    QWidget* makeEditor(const ssl::HParamSpec& spec);
    void setEditorValue(QWidget* editor, const ssl::HParamSpec& spec, double value);

    std::vector<ssl::HParamSpec> m_schema;
    std::vector<QWidget*> m_editors; // parallel to m_schema
    QFormLayout* m_layout = nullptr;
    bool m_updating = false;
};

} // namespace gps::ui
