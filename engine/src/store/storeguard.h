#pragma once
// The store's boundary: unexpected failures inside (I/O, SQLite, libgit2, all thrown) become a
// ServiceError, so no exception leaves the store.

#include "lambdesk/engine/result.h"

#include <cstdio>
#include <exception>
#include <string>

namespace lambdesk::engine::detail {

template <class Function>
auto guarded(const char *operation, Function &&function) -> decltype(function())
{
    try {
        return function();
    } catch (const std::exception &failure) {
        std::fprintf(stderr, "lambdesk store: %s failed: %s\n", operation, failure.what());
        return makeError(ErrorCode::ServiceError, std::string("function store: ") + operation +
                                                      " failed: " + failure.what());
    }
}

} // namespace lambdesk::engine::detail
