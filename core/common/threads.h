#pragma once
/// Thread counts for LibTorch (intra-op), OpenMP (FAISS, augmentation) and OpenCV, set once at
/// start-up. Debian's LibTorch starts with one thread, so every main calls this.

namespace gps {

/// Number of hardware threads, at least 1.
int hardwareThreads();

/// Sets LibTorch, OpenMP and OpenCV to `threads` (0 = hardwareThreads()). Returns the count used.
/// Call from the main thread before any work starts.
int configureThreads(int threads = 0);

} // namespace gps
