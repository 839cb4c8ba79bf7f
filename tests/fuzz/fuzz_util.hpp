// Shared helpers for the fuzz targets: splitting an input into parts, and
// the invariants every message must keep.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace fuzz {

// Splits data at every occurrence of separator.
inline std::vector<std::string_view> split(std::string_view data, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = data.find(separator, start);
        parts.push_back(data.substr(start, end - start));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

// A message shown to users must be one line of printable ASCII.
inline void check_message(std::string_view message)
{
    for (char c : message) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x7f) {
            std::abort();
        }
    }
}

#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

}  // namespace fuzz
