#include "common/threads.h"

#include <ATen/Parallel.h>
#include <omp.h>
#include <opencv2/core/utility.hpp>

#include <algorithm>
#include <thread>

namespace gps {

int hardwareThreads() {
    return std::max(1u, std::thread::hardware_concurrency());
}

int configureThreads(int threads) {
    const int count = threads > 0 ? threads : hardwareThreads();
    at::set_num_threads(count);
    omp_set_num_threads(count);
    // OpenCV's own pool would compete with our OpenMP loops that call it per image.
    cv::setNumThreads(1);
    return count;
}

} // namespace gps
