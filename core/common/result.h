#pragma once
/// Result<T>: the value of an operation that can fail for expected reasons (bad input,
/// missing file, cancellation). Unexpected failures (broken preconditions) throw via GPS_CHECK.

#include <string>
#include <utility>
#include <variant>

namespace gps {

enum class ErrorCode {
    InvalidInput, ///< the user's input is wrong (bad key, bad value, bad argument)
    NotFound,     ///< a file, split or key does not exist
    Corrupt,      ///< a file exists but its content is not what the format says
    Io,           ///< reading or writing failed (permissions, full disk)
    Unsupported,  ///< a valid request the studio cannot serve
    Cancelled,    ///< the user stopped the work
    Internal,     ///< a bug: should not happen
};

const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message; ///< one line a user can act on: which file or key, expected, found
};

inline Error makeError(ErrorCode code, std::string message) {
    return Error{code, std::move(message)};
}

/// Holds either a T or an Error. Cheap to move; check ok() before value().
template <class T> class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<T>(m_state); }
    const T& value() const& { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    const Error& error() const { return std::get<Error>(m_state); }

    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

private:
    std::variant<T, Error> m_state;
};

/// Result of an operation that returns nothing on success.
struct Ok {};
using Status = Result<Ok>;

} // namespace gps
