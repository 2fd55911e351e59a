#include "cli/contact_sheet.h"

#include <QtTest>

#include <opencv2/core.hpp>

using gps::cli::SheetCell;

class TestContactSheet : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void layoutFollowsCellsAndColumns() {
        std::vector<SheetCell> cells(
            5, SheetCell{cv::Mat(28, 28, CV_8UC1, cv::Scalar(0)), "x", false});
        const cv::Mat sheet = gps::cli::renderContactSheet(cells, {64, 3});
        QCOMPARE(sheet.type(), CV_8UC3);
        // 3 columns × (64 + 6 gap) + 6, and 2 rows × (64 + 18 caption + 6) + 6.
        QCOMPARE(sheet.cols, 3 * 70 + 6);
        QCOMPARE(sheet.rows, 2 * 88 + 6);
    }
    void smallImagesScaleUpCrisplyAndRgbBecomesBgr() {
        cv::Mat rgb(2, 2, CV_8UC3, cv::Scalar(255, 0, 0)); // pure red in RGB order
        rgb.at<cv::Vec3b>(0, 0) = cv::Vec3b(0, 0, 255);    // blue top-left
        const cv::Mat sheet = gps::cli::renderContactSheet({{rgb, "", false}}, {64, 1});
        const int top = 6 + 18, left = 6;
        QCOMPARE(sheet.at<cv::Vec3b>(top + 40, left + 40), cv::Vec3b(0, 0, 255)); // red in BGR
        QCOMPARE(sheet.at<cv::Vec3b>(top + 5, left + 5), cv::Vec3b(255, 0, 0));   // blue in BGR
    }
    void markedCellsGetARedFrame() {
        const cv::Mat grey(8, 8, CV_8UC1, cv::Scalar(128));
        const cv::Mat plain = gps::cli::renderContactSheet({{grey, "", false}}, {32, 1});
        const cv::Mat marked = gps::cli::renderContactSheet({{grey, "", true}}, {32, 1});
        QCOMPARE(plain.at<cv::Vec3b>(6 + 18, 6), cv::Vec3b(128, 128, 128));
        QCOMPARE(marked.at<cv::Vec3b>(6 + 18, 6), cv::Vec3b(0, 0, 220));
    }
    void sameCellsSameBytes() {
        const cv::Mat grey(8, 8, CV_8UC1, cv::Scalar(77));
        const cv::Mat a = gps::cli::renderContactSheet({{grey, "view 1", false}}, {48, 4});
        const cv::Mat b = gps::cli::renderContactSheet({{grey, "view 1", false}}, {48, 4});
        QCOMPARE(cv::norm(a, b, cv::NORM_INF), 0.0);
    }
};

QTEST_APPLESS_MAIN(TestContactSheet)
#include "tst_contact_sheet.moc"
