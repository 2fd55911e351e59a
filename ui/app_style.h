#pragma once
/// The studio's look: the style sheet compiled into gps_ui's resources.

#include <QString>

namespace gps::ui {

/// The text of :/style.qss. gps_ui is a static library, so its resources are registered here
/// (Q_INIT_RESOURCE) before they are read: otherwise the linker may drop them unreferenced.
QString studioStyleSheet();

} // namespace gps::ui
