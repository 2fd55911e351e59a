#include "common/result.h"

namespace gps {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidInput:
        return "invalid-input";
    case ErrorCode::NotFound:
        return "not-found";
    case ErrorCode::Corrupt:
        return "corrupt";
    case ErrorCode::Io:
        return "io";
    case ErrorCode::Unsupported:
        return "unsupported";
    case ErrorCode::Cancelled:
        return "cancelled";
    case ErrorCode::Internal:
        return "internal";
    }
    return "internal";
}

} // namespace gps
