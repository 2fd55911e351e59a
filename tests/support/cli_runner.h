#pragma once
// Runs the real gps-studio-cli (path from $GPS_CLI, set by CTest) as a user would, for the tests
// of the command line. Header-only: the support library itself links no Qt.

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

namespace gps::test {

struct CliRun {
    int exitCode = -1;
    QByteArray out, err;
    QJsonDocument document() const { return QJsonDocument::fromJson(out); }
    QJsonObject json() const { return document().object(); }
};

/// Runs `program` with `arguments`, waiting up to `timeoutMs`.
inline CliRun runProgram(const QString& program, const QStringList& arguments,
                         int timeoutMs = 240000) {
    QProcess process;
    process.start(program, arguments);
    process.waitForFinished(timeoutMs);
    return {process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

/// gps-studio-cli exactly as given (tests of its global options).
inline CliRun runCliAsGiven(const QStringList& arguments) {
    return runProgram(qEnvironmentVariable("GPS_CLI"), arguments);
}

/// gps-studio-cli on two threads, as the suite runs it on a 2-core machine.
inline CliRun runCli(const QStringList& arguments) {
    return runCliAsGiven(QStringList{QStringLiteral("--threads"), QStringLiteral("2")} + arguments);
}

} // namespace gps::test
