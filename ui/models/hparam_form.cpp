#include "models/hparam_form.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gps::ui {

namespace {

constexpr double kUnboundedFloat = 1e9;
constexpr int kMinDecimals = 2;
constexpr int kMaxDecimals = 8;

/// Digits after the point that `value` needs to be shown exactly (up to kMaxDecimals).
int digitsNeeded(double value) {
    if (!std::isfinite(value) || value == 0.0)
        return 0;
    for (int digits = 0; digits < kMaxDecimals; ++digits) {
        const double scale = std::pow(10.0, digits);
        if (std::abs(std::round(value * scale) / scale - value) <=
            1e-9 * std::max(1.0, std::abs(value)))
            return digits;
    }
    return kMaxDecimals;
}

bool hasRange(const ssl::HParamSpec& spec) {
    return std::isfinite(spec.min) && std::isfinite(spec.max) && spec.max > spec.min;
}

int toInt(double value) {
    constexpr double lo = std::numeric_limits<int>::min();
    constexpr double hi = std::numeric_limits<int>::max();
    return int(std::clamp(std::round(value), lo, hi));
}

QString labelFor(const std::string& name) {
    QString text = QString::fromStdString(name);
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

} // namespace

HParamForm::HParamForm(QWidget* parent) : QWidget(parent), m_layout(new QFormLayout(this)) {
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
}

int HParamForm::decimalsFor(const ssl::HParamSpec& spec) {
    int needed = digitsNeeded(spec.defaultValue);
    if (hasRange(spec))
        needed = std::max({needed, digitsNeeded(spec.min), digitsNeeded(spec.max)});
    return std::clamp(needed + 1, kMinDecimals, kMaxDecimals);
}

void HParamForm::setSchema(const std::vector<ssl::HParamSpec>& schema) {
    m_updating = true;
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0); // deletes the label and the editor
    m_editors.clear();
    m_schema = schema;
    for (const ssl::HParamSpec& spec : m_schema) {
        QWidget* editor = makeEditor(spec);
        m_editors.push_back(editor);
        auto* label = new QLabel(labelFor(spec.name), this);
        label->setToolTip(editor->toolTip());
        m_layout->addRow(label, editor);
    }
    if (m_schema.empty())
        m_layout->addRow(new QLabel(tr("This method has no hyper-parameters."), this));
    m_updating = false;
}

QWidget* HParamForm::makeEditor(const ssl::HParamSpec& spec) {
    QWidget* editor = nullptr;
    QString range;
    switch (spec.type) {
    case ssl::HParamType::Float: {
        auto* box = new QDoubleSpinBox(this);
        box->setDecimals(decimalsFor(spec));
        if (hasRange(spec))
            box->setRange(spec.min, spec.max);
        else
            box->setRange(-kUnboundedFloat, kUnboundedFloat);
        const double magnitude = std::abs(spec.defaultValue);
        const double step = magnitude > 0 ? std::pow(10.0, std::floor(std::log10(magnitude)) - 1)
                                          : std::pow(10.0, 1 - box->decimals());
        box->setSingleStep(std::max(step, std::pow(10.0, -box->decimals())));
        box->setAccelerated(true);
        connect(box, &QDoubleSpinBox::valueChanged, this, [this] {
            if (!m_updating)
                Q_EMIT valuesChanged();
        });
        range = tr("range [%1, %2]").arg(box->minimum()).arg(box->maximum());
        editor = box;
        break;
    }
    case ssl::HParamType::Int: {
        auto* box = new QSpinBox(this);
        if (hasRange(spec))
            box->setRange(toInt(spec.min), toInt(spec.max));
        else
            box->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
        box->setAccelerated(true);
        // Head and queue sizes: 0 means sized for the backbone, which the form says in words.
        if (spec.min == 0 && spec.defaultValue == 0)
            box->setSpecialValueText(tr("auto"));
        connect(box, &QSpinBox::valueChanged, this, [this] {
            if (!m_updating)
                Q_EMIT valuesChanged();
        });
        range = tr("range [%1, %2]").arg(box->minimum()).arg(box->maximum());
        editor = box;
        break;
    }
    case ssl::HParamType::Bool: {
        auto* box = new QCheckBox(this);
        connect(box, &QCheckBox::toggled, this, [this] {
            if (!m_updating)
                Q_EMIT valuesChanged();
        });
        editor = box;
        break;
    }
    }
    editor->setObjectName(QString::fromStdString(spec.name));
    QString tip = QString::fromStdString(spec.help);
    if (!range.isEmpty())
        tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + range;
    editor->setToolTip(tip);
    setEditorValue(editor, spec, spec.defaultValue);
    return editor;
}

void HParamForm::setEditorValue(QWidget* editor, const ssl::HParamSpec& spec, double value) {
    switch (spec.type) {
    case ssl::HParamType::Float:
        static_cast<QDoubleSpinBox*>(editor)->setValue(value);
        break;
    case ssl::HParamType::Int:
        static_cast<QSpinBox*>(editor)->setValue(toInt(value));
        break;
    case ssl::HParamType::Bool:
        static_cast<QCheckBox*>(editor)->setChecked(value != 0.0);
        break;
    }
}

ssl::HParams HParamForm::values() const {
    ssl::HParams values;
    for (std::size_t i = 0; i < m_schema.size(); ++i) {
        const ssl::HParamSpec& spec = m_schema[i];
        double value = 0;
        switch (spec.type) {
        case ssl::HParamType::Float:
            value = static_cast<QDoubleSpinBox*>(m_editors[i])->value();
            break;
        case ssl::HParamType::Int:
            value = static_cast<QSpinBox*>(m_editors[i])->value();
            break;
        case ssl::HParamType::Bool:
            value = static_cast<QCheckBox*>(m_editors[i])->isChecked() ? 1.0 : 0.0;
            break;
        }
        values[spec.name] = value;
    }
    return values;
}

int HParamForm::setValues(const ssl::HParams& values) {
    m_updating = true;
    int applied = 0;
    for (std::size_t i = 0; i < m_schema.size(); ++i) {
        const auto it = values.find(m_schema[i].name);
        if (it == values.end())
            continue;
        setEditorValue(m_editors[i], m_schema[i], it->second);
        ++applied;
    }
    m_updating = false;
    return applied;
}

void HParamForm::resetToDefaults() {
    m_updating = true;
    for (std::size_t i = 0; i < m_schema.size(); ++i)
        setEditorValue(m_editors[i], m_schema[i], m_schema[i].defaultValue);
    m_updating = false;
}

QWidget* HParamForm::editor(const QString& name) const {
    const std::string key = name.toStdString();
    for (std::size_t i = 0; i < m_schema.size(); ++i)
        if (m_schema[i].name == key)
            return m_editors[i];
    return nullptr;
}

} // namespace gps::ui
