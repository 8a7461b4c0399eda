#pragma once
// Expected-like result type used at every engine boundary: failures are values, exceptions never
// cross the engine API (see STYLE.md section 6).

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace lambdesk::engine {

// One top-level code per Lambda error family; the HTTP layer maps each to an AWS error type in
// exactly one place (lambdaErrorFor in apiserver).
enum class ErrorCode {
    NotFound,              // ResourceNotFoundException 404
    InvalidParameter,      // InvalidParameterValueException 400
    InvalidRequestContent, // InvalidRequestContentException 400
    RequestTooLarge,       // RequestTooLargeException 413
    Conflict,              // ResourceConflictException 409
    PreconditionFailed,    // PreconditionFailedException 412 (RevisionId mismatch)
    TooManyRequests,       // TooManyRequestsException 429
    CodeStorageExceeded,   // CodeStorageExceededException 400
    Unsupported,           // InvalidRuntimeException 502 style: runtime not available here
    EngineLocked,          // another engine owns the data dir
    ServiceError,          // ServiceException 500
};

struct Error {
    ErrorCode code = ErrorCode::ServiceError;
    std::string message;
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {} // NOLINT(google-explicit-constructor)
    Result(Error error) : m_state(std::move(error)) {} // NOLINT(google-explicit-constructor)

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    T &value() & { assert(ok()); return std::get<T>(m_state); }
    const T &value() const & { assert(ok()); return std::get<T>(m_state); }
    T &&value() && { assert(ok()); return std::get<T>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { assert(!ok()); return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {} // NOLINT(google-explicit-constructor)
    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error &error() const { assert(!m_ok); return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

inline Error makeError(ErrorCode code, std::string message)
{
    return Error{code, std::move(message)};
}

} // namespace lambdesk::engine
