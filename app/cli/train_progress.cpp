#include "cli/train_progress.h"

#include "cli/command.h"

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace gps::cli {

namespace {

bool stderrIsTerminal() {
    static const bool terminal = isatty(STDERR_FILENO);
    return terminal;
}

// The token the signal handler cancels; an atomic store through a lock-free flag is
// async-signal-safe.
CancelToken* g_interruptToken = nullptr;

extern "C" void cancelOnSignal(int) {
    if (g_interruptToken)
        g_interruptToken->cancel();
}

} // namespace

bool TrainProgress::onStep(const train::StepMetrics& m) {
    if (m_quiet || !m.printDue)
        return true;
    std::fprintf(stderr, "%sepoch %d step %lld/%lld  loss %.4f  lr %.4g  online %.3f  %.0f img/s%s",
                 stderrIsTerminal() ? "\r" : "", m.epoch + 1, static_cast<long long>(m.step),
                 static_cast<long long>(m.totalSteps), m.loss, m.lr, m.onlineProbeAcc,
                 m.imagesPerSecond, stderrIsTerminal() ? "   " : "\n");
    std::fflush(stderr);
    return true;
}

bool TrainProgress::onEpoch(const train::EpochMetrics& m) {
    if (!m_quiet)
        std::fprintf(stderr, "%sepoch %d done: mean loss %.4f, %.1f s, %.0f img/s\n",
                     stderrIsTerminal() ? "\n" : "", m.epoch, m.meanLoss, m.seconds,
                     m.imagesPerSecond);
    return true;
}

bool TrainProgress::onEval(const train::EvalMetrics& m) {
    if (m_quiet || m.ofPrior) // the session's message has said it
        return true;
    std::fprintf(stderr, "evaluation after epoch %d:", m.epoch);
    if (m.linearProbeAcc)
        std::fprintf(stderr, " linear probe %.4f", *m.linearProbeAcc);
    if (m.knnAcc)
        std::fprintf(stderr, " kNN %.4f", *m.knnAcc);
    if (m.onlineProbeTestAcc)
        std::fprintf(stderr, " online probe %.4f", *m.onlineProbeTestAcc);
    std::fprintf(stderr, "\n");
    return true;
}

void TrainProgress::onMessage(const std::string& message) {
    if (!m_quiet)
        std::fprintf(stderr, "%s\n", message.c_str());
}

bool TrainProgress::onPhase(const std::string& phase, double fraction) {
    if (!m_quiet)
        printProgress(phase, fraction);
    m_lastPhase = phase;
    return true;
}

InterruptCancels::InterruptCancels() {
    g_interruptToken = &m_token;
    std::signal(SIGINT, cancelOnSignal);
    std::signal(SIGTERM, cancelOnSignal);
}

InterruptCancels::~InterruptCancels() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_interruptToken = nullptr;
}

} // namespace gps::cli
