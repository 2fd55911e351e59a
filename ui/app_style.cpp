#include "app_style.h"

#include <QFile>

// Q_INIT_RESOURCE must be expanded outside any namespace.
static void registerStudioResources() {
    Q_INIT_RESOURCE(resources);
}

namespace gps::ui {

QString studioStyleSheet() {
    registerStudioResources();
    QFile file(QStringLiteral(":/style.qss"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll());
}

} // namespace gps::ui
