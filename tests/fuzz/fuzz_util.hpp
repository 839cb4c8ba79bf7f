// Shared helpers for the fuzz targets: splitting an input into parts, and
// the invariants every message must keep.
#pragma once

#include "subid_file.hpp"

#include <algorithm>
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

// The oracle both file targets share: split the whole text into lines (the
// simplest way, unlike the streaming scanner), keep the valid entries whose
// owner passes `mine`, and merge them over `wanted`.
template <typename IsMine>
bool oracle_covers(std::string_view text, idmap::IdRange wanted, IsMine&& is_mine)
{
    std::vector<idmap::IdRange> ranges;
    auto lines = split(text, '\n');
    if (!text.empty() && text.back() == '\n') {
        lines.pop_back();  // no line after the last newline
    }
    for (std::string_view line : lines) {
        if (line.size() > idmap::max_subid_line) {
            continue;
        }
        const idmap::SubidLine parsed = idmap::parse_subid_line(line);
        if (parsed.kind == idmap::SubidLine::Kind::entry && is_mine(parsed.entry.owner)) {
            ranges.push_back(parsed.entry.range);
        }
    }
    std::sort(ranges.begin(), ranges.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::uint64_t next = wanted.first;
    for (const auto& range : ranges) {
        if (range.first > next) {
            break;
        }
        next = std::max(next, range.end());
    }
    return next >= wanted.end();
}

#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

}  // namespace fuzz
