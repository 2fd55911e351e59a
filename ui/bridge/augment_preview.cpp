#include "bridge/augment_preview.h"

#include "augment/pipeline.h"
#include "common/check.h"
#include "common/rng.h"
#include "image_convert.h"

namespace gps::ui {

namespace {
// 64×64 RGB × 33 images is a few milliseconds of work; above that, use a worker.
constexpr std::size_t kCheapPixels = 64 * 64 * 3;
} // namespace

AugmentPreview makeAugmentPreview(const AugmentPreviewRequest& request, const CancelToken& cancel) {
    GPS_CHECK(request.dataset, "makeAugmentPreview: no dataset");
    GPS_CHECK(request.index < request.dataset->size(),
              "makeAugmentPreview: image " << request.index << " of " << request.dataset->size());
    AugmentPreview preview;
    preview.index = request.index;
    const cv::Mat image = request.dataset->image(request.index);
    preview.original = toQImage(image);

    const augment::AugmentPipeline pipeline(request.spec, request.dataset->shape());
    for (int view = 0; view < request.viewCount && !cancel.cancelled(); ++view) {
        Rng rng(deriveSeed(request.seed, request.index, std::uint64_t(view)));
        preview.views.push_back(toQImage(pipeline.view(image, rng)));
    }
    return preview;
}

bool previewIsCheap(const data::Dataset& dataset) {
    return dataset.block() != nullptr && dataset.shape().pixels() <= kCheapPixels;
}

} // namespace gps::ui
