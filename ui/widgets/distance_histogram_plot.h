#pragma once
/// The neighbour inspector's plots: the histogram of listed distances split into candidates
/// (inside the τ ball, or the first k in k-mode) and the rest, stacked, with a vertical line at
/// τ; and, beside it, purity and coverage as curves over τ with the same line, or over k with a
/// line at k in k-mode.
///
/// Updates are coalesced (docs/design.md §4): setters only store the data and start one 40 ms
/// single-shot timer; the timer rebuilds the graphs and asks for a queued replot, so a slider
/// dragged across the range replots at most 25 times a second.

#include "neighbors/neighbor_stats.h"

#include <QWidget>

#include <optional>

class QCPBars;
class QCPGraph;
class QCPItemStraightLine;
class QCustomPlot;
class QTimer;

namespace gps::ui {

class DistanceHistogramPlot : public QWidget {
    Q_OBJECT

public:
    explicit DistanceHistogramPlot(QWidget* parent = nullptr);

    void setHistogram(const neighbors::DistanceHistogram& histogram);
    void setCurves(const neighbors::TauCurves& curves);
    /// The τ line; nullopt (k-mode) hides it.
    void setTau(std::optional<double> tau);
    /// The curves of k-mode (x = k), shown while setK holds a value.
    void setKCurves(const neighbors::KCurves& curves);
    /// k-mode with this k (the curves over k, a line at k); nullopt = τ mode.
    void setK(std::optional<int> k);
    /// The x range of both plots: [0, tauMax], so the histogram and the slider share a scale.
    void setRange(double tauMax);
    void clear();

    /// Bin counts as drawn after the last coalesced update (tests).
    double candidateTotal() const;
    double otherTotal() const;
    std::optional<double> shownTau() const;
    /// The candidates' legend entry and the curves' x axis label as drawn (tests).
    QString candidateLegend() const;
    QString curveAxisLabel() const;

private:
    void scheduleReplot();
    void rebuild();

    neighbors::DistanceHistogram m_histogram;
    neighbors::TauCurves m_curves;
    neighbors::KCurves m_kCurves;
    std::optional<double> m_tau;
    std::optional<int> m_k;
    double m_range = 1.0;

    QTimer* m_timer = nullptr;
    QCustomPlot* m_histPlot = nullptr;
    QCustomPlot* m_curvePlot = nullptr;
    QCPBars* m_candidates = nullptr;
    QCPBars* m_others = nullptr;
    QCPGraph* m_purity = nullptr;
    QCPGraph* m_coverage = nullptr;
    QCPItemStraightLine* m_histTau = nullptr;
    QCPItemStraightLine* m_curveTau = nullptr;
};

} // namespace gps::ui
