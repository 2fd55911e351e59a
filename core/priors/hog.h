#pragma once
/// The `hog` prior: OpenCV's histogram of oriented gradients on the grey image (RGB is converted
/// with ITU-R 601 weights), 9 unsigned orientation bins, 2×2-cell blocks moved one cell at a time,
/// L2-Hys block normalisation. The geometry follows the image size (hogGeometry) so that 28, 32
/// and 96 px images all work: 28 px → 7 px cells, 324 values; 32 px → 8 px cells, 324 values;
/// 96 px → 8 px cells, 4,356 values.

#include "priors/embedder.h"

namespace gps::priors {

/// Cell and window sizes for one image shape. Images are resized to the window when the cells
/// do not tile them exactly.
struct HogGeometry {
    int cell = 0;   ///< side of a cell in px
    int cellsX = 0; ///< cells across the window
    int cellsY = 0; ///< cells down the window
    int bins = 9;
    int windowWidth() const { return cell * cellsX; }
    int windowHeight() const { return cell * cellsY; }
    /// Blocks of 2×2 cells at a one-cell stride, each 4·bins values.
    std::int64_t dim() const { return std::int64_t(cellsX - 1) * (cellsY - 1) * 4 * bins; }
};

/// Cells of ⌈side/4⌉ px for images up to 32 px (4 cells across the short side), 8 px above;
/// at least 2 cells each way so there is one block.
HogGeometry hogGeometry(const data::ImageShape& shape);

class HogPrior final : public Embedder {
public:
    explicit HogPrior(const PriorOptions& options);

    std::string spec() const override { return "hog"; }
    /// hogGeometry(shape).dim() once embed() has seen a dataset, 0 before.
    std::int64_t dim() const override { return m_dim; }
    /// n × dim. Images are described in parallel (OpenCV's thread pool).
    Result<Embedding> embed(const data::Dataset& dataset, const ProgressFn& progress) override;

private:
    int m_batchSize = 256;
    std::int64_t m_dim = 0;
};

} // namespace gps::priors
