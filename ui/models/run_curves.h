#pragma once
/// The curves of a run (report/run_curves.h) as a Qt metatype, so that signals carry them.

#include "report/run_curves.h"

#include <QMetaType>

Q_DECLARE_METATYPE(gps::report::RunCurves)
