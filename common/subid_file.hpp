// The /etc/subuid and /etc/subgid format (SPEC §4): "owner:start:count".
// Pure: parsing one line, and scanning a stream of lines for the entries
// that cover the ranges a caller asked for.
#pragma once

#include "coverage.hpp"
#include "lines.hpp"
#include "mapping.hpp"

#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace idmap {

// Longest line we read; longer lines are invalid (no real owner is this long).
inline constexpr std::size_t max_subid_line = 4096;

struct SubidEntry {
    std::string_view owner;
    IdRange range;
};

struct SubidLine {
    enum class Kind { entry, comment, invalid };
    Kind kind = Kind::invalid;
    SubidEntry entry;          // for Kind::entry
    std::string_view problem;  // for Kind::invalid: why, as a static phrase
};

[[nodiscard]] SubidLine parse_subid_line(std::string_view line) noexcept;
// The same, always the long way: every rule checked in turn, each with its
// own message (parse_subid_line takes a shortcut for plain lines; a test
// holds the two to the same answers).
[[nodiscard]] SubidLine parse_subid_line_strict(std::string_view line) noexcept;

// Decides whether an entry's owner is the caller (name, decimal uid or alias).
using OwnerTest = std::function<bool(std::string_view owner)>;

// Feeds a delegation file through, chunk by chunk, and keeps for each wanted
// range the parts covered by entries whose owner passes the test. The owner
// test runs only for entries that overlap a wanted range.
class SubidScan {
public:
    SubidScan(std::span<const IdRange> wanted, OwnerTest is_caller);

    void feed(std::string_view chunk);
    void finish();

    [[nodiscard]] const std::vector<Coverage>& coverage() const noexcept { return coverage_; }
    // Every wanted range is covered: the rest of the file cannot change that.
    [[nodiscard]] bool complete() const;

private:
    void take(const Line& line);
    // Whether [first, end) overlaps any wanted range.
    [[nodiscard]] bool wanted(std::uint64_t first, std::uint64_t end) const noexcept
    {
        if (sorted_.size() <= 8) {  // the usual one or two: a plain loop, inlined
            for (const IdRange& w : sorted_) {
                if (w.first < end && first < w.end()) {
                    return true;
                }
            }
            return false;
        }
        return wanted_search(first, end);
    }
    [[nodiscard]] bool wanted_search(std::uint64_t first, std::uint64_t end) const noexcept;
    // For a line of under 32 bytes whose colons are the set bits of
    // colon_mask: false if it is owner:start:count and its range meets no
    // wanted range (then it cannot matter), true if take() must look at it.
    // 16 bytes must be readable after each colon.
    [[nodiscard]] bool short_line_matters(const char* line, unsigned length,
                                          std::uint32_t colon_mask) const noexcept;
    // Lines entirely inside chunk, read on the fast path; returns where the
    // unfinished last line starts.
    std::size_t fast_lines(std::string_view chunk);

    // The shortcut of short_line_matters: for each length of the start and
    // of the count (1 to 10 digits), the starts that might meet a wanted
    // range, as windows over the start's first eight digits read as one
    // big-endian number (for numbers of one length, text order is numeric
    // order). Built when there are at most four wanted ranges.
    struct PrefixWindow {
        std::uint64_t low;
        std::uint64_t high;
    };
    struct PrefixCell {
        unsigned count = 0;
        PrefixWindow windows[4];
    };
    void build_prefix_windows();
    bool use_prefix_windows_ = false;
    PrefixCell prefix_windows_[11][11];

    LineSplitter lines_{max_subid_line};
    std::vector<Coverage> coverage_;
    std::vector<IdRange> sorted_;       // the wanted ranges by first ID
    std::vector<std::uint64_t> reach_;  // reach_[i]: the furthest end among sorted_[0..i]
    OwnerTest is_caller_;
};

}  // namespace idmap
