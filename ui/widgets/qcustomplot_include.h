#pragma once
// QCustomPlot's header uses the Qt keywords `signals` and `foreach`, which gps_options
// turns off with QT_NO_KEYWORDS (LibTorch clashes with `slots`). Include it only through this
// file, from .cpp files: the keywords exist while the header is read and are gone after it.

#if defined(signals) || defined(slots) || defined(emit) || defined(foreach)
#error "qcustomplot_include.h expects QT_NO_KEYWORDS: include it before anything that defines them"
#endif

#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef signals
#undef foreach
