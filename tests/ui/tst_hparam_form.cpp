// HParamForm: a form generated from each registered method's schema shows its defaults, keeps
// values inside the declared ranges, and round-trips values.

#include "models/hparam_form.h"
#include "ssl/registry.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <cmath>

using gps::ssl::HParamSpec;
using gps::ssl::HParamType;
using gps::ui::HParamForm;

namespace {

std::vector<HParamSpec> handMadeSchema() {
    return {
        {"temperature", HParamType::Float, 0.2, 0.01, 10.0, "softmax temperature"},
        {"lambda", HParamType::Float, 0.0051, 0.0, 1.0, "off-diagonal weight"},
        {"queue_size", HParamType::Int, 65536, 1, 1000000, "support queue length"},
        {"symmetric", HParamType::Bool, 1, 0, 1, "use both directions"},
    };
}

double editorValue(QWidget* editor) {
    if (auto* box = qobject_cast<QDoubleSpinBox*>(editor))
        return box->value();
    if (auto* box = qobject_cast<QSpinBox*>(editor))
        return box->value();
    if (auto* box = qobject_cast<QCheckBox*>(editor))
        return box->isChecked() ? 1.0 : 0.0;
    return std::nan("");
}

bool close(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

} // namespace

class TestHParamForm : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registryIsNotEmpty() { QVERIFY(!gps::ssl::methodRegistry().empty()); }

    void defaultsShown_data() {
        QTest::addColumn<QString>("method");
        for (const auto& info : gps::ssl::methodRegistry())
            QTest::newRow(info.name.c_str()) << QString::fromStdString(info.name);
    }

    void defaultsShown() {
        QFETCH(QString, method);
        const auto* info = gps::ssl::findMethod(method.toStdString());
        QVERIFY(info);
        HParamForm form;
        form.setSchema(info->hparams);
        QCOMPARE(form.rowCount(), int(info->hparams.size()));
        const gps::ssl::HParams values = form.values();
        QCOMPARE(values.size(), info->hparams.size());
        for (const HParamSpec& spec : info->hparams) {
            QWidget* editor = form.editor(QString::fromStdString(spec.name));
            QVERIFY2(editor, spec.name.c_str());
            switch (spec.type) {
            case HParamType::Float:
                QVERIFY(qobject_cast<QDoubleSpinBox*>(editor));
                break;
            case HParamType::Int:
                QVERIFY(qobject_cast<QSpinBox*>(editor));
                break;
            case HParamType::Bool:
                QVERIFY(qobject_cast<QCheckBox*>(editor));
                break;
            }
            QVERIFY2(close(editorValue(editor), spec.defaultValue), spec.name.c_str());
            // Sizes chosen for the backbone read "auto", not a width of 0.
            if (spec.type == HParamType::Int && spec.defaultValue == 0)
                QCOMPARE(qobject_cast<QSpinBox*>(editor)->text(), QStringLiteral("auto"));
            QVERIFY2(close(values.at(spec.name), spec.defaultValue), spec.name.c_str());
            QVERIFY(editor->toolTip().contains(QString::fromStdString(spec.help)));
        }
    }

    void rangesEnforced_data() { defaultsShown_data(); }

    void rangesEnforced() {
        QFETCH(QString, method);
        const auto* info = gps::ssl::findMethod(method.toStdString());
        QVERIFY(info);
        HParamForm form;
        form.setSchema(info->hparams);
        for (const HParamSpec& spec : info->hparams) {
            if (spec.type == HParamType::Bool || !(spec.max > spec.min))
                continue;
            gps::ssl::HParams tooHigh{{spec.name, spec.max + 1000.0}};
            QCOMPARE(form.setValues(tooHigh), 1);
            QVERIFY2(close(form.values().at(spec.name), spec.max), spec.name.c_str());
            gps::ssl::HParams tooLow{{spec.name, spec.min - 1000.0}};
            form.setValues(tooLow);
            QVERIFY2(close(form.values().at(spec.name), spec.min), spec.name.c_str());
        }
    }

    void valuesRoundTrip_data() { defaultsShown_data(); }

    void valuesRoundTrip() {
        QFETCH(QString, method);
        const auto* info = gps::ssl::findMethod(method.toStdString());
        QVERIFY(info);
        HParamForm form;
        form.setSchema(info->hparams);
        gps::ssl::HParams wanted;
        for (const HParamSpec& spec : info->hparams) {
            if (spec.type == HParamType::Bool)
                wanted[spec.name] = spec.defaultValue != 0 ? 0.0 : 1.0;
            else if (spec.type == HParamType::Int)
                wanted[spec.name] = spec.max > spec.min ? spec.min : spec.defaultValue + 1;
            else
                wanted[spec.name] = spec.max > spec.min ? spec.max : spec.defaultValue * 2;
        }
        wanted["not_a_parameter"] = 3.0;
        QCOMPARE(form.setValues(wanted), int(info->hparams.size()));
        const gps::ssl::HParams got = form.values();
        QCOMPARE(got.size(), info->hparams.size());
        for (const HParamSpec& spec : info->hparams)
            QVERIFY2(close(got.at(spec.name), wanted.at(spec.name)), spec.name.c_str());
        form.resetToDefaults();
        for (const HParamSpec& spec : info->hparams)
            QVERIFY(close(form.values().at(spec.name), spec.defaultValue));
    }

    void handMadeSchemaEditors() {
        HParamForm form;
        form.setSchema(handMadeSchema());
        auto* lambda = qobject_cast<QDoubleSpinBox*>(form.editor(QStringLiteral("lambda")));
        QVERIFY(lambda);
        QCOMPARE(lambda->decimals(), 5); // 0.0051 is shown exactly, with one digit to spare
        QCOMPARE(lambda->value(), 0.0051);
        auto* temperature =
            qobject_cast<QDoubleSpinBox*>(form.editor(QStringLiteral("temperature")));
        QVERIFY(temperature);
        QCOMPARE(temperature->minimum(), 0.01);
        QCOMPARE(temperature->maximum(), 10.0);
        QVERIFY(temperature->toolTip().startsWith(QStringLiteral("softmax temperature")));
        auto* queue = qobject_cast<QSpinBox*>(form.editor(QStringLiteral("queue_size")));
        QVERIFY(queue);
        QCOMPARE(queue->value(), 65536);
        QCOMPARE(queue->maximum(), 1000000);
        auto* symmetric = qobject_cast<QCheckBox*>(form.editor(QStringLiteral("symmetric")));
        QVERIFY(symmetric && symmetric->isChecked());
        QVERIFY(!form.editor(QStringLiteral("missing")));
    }

    void userEditsSignalButSettersDoNot() {
        HParamForm form;
        QSignalSpy changed(&form, &HParamForm::valuesChanged);
        form.setSchema(handMadeSchema());
        form.setValues({{"temperature", 0.5}});
        QCOMPARE(changed.count(), 0);
        qobject_cast<QDoubleSpinBox*>(form.editor(QStringLiteral("temperature")))->setValue(0.7);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(form.values().at("temperature"), 0.7);
    }

    void newSchemaReplacesRows() {
        HParamForm form;
        form.setSchema(handMadeSchema());
        QCOMPARE(form.rowCount(), 4);
        form.setSchema({{"momentum", HParamType::Float, 0.99, 0.0, 1.0, "EMA"}});
        QCOMPARE(form.rowCount(), 1);
        QVERIFY(!form.editor(QStringLiteral("temperature")));
        QCOMPARE(form.values().size(), std::size_t(1));
        QCOMPARE(form.values().at("momentum"), 0.99);
        form.setSchema({});
        QCOMPARE(form.rowCount(), 0);
        QVERIFY(form.values().empty());
    }
};

QTEST_MAIN(TestHParamForm)
#include "tst_hparam_form.moc"
