#include "coverage.hpp"

#include <algorithm>

namespace idmap {

void Coverage::add(const IdRange& delegated)
{
    const std::uint64_t first = std::max(wanted_.first, delegated.first);
    const std::uint64_t end = std::min(wanted_.end(), delegated.end());
    if (first >= end) {
        return;
    }
    pieces_.push_back({first, end - first});
    compacted_ = false;
    // Keep memory bounded by the number of disjoint pieces, not of entries.
    if (pieces_.size() > compact_at_) {
        compact();
        compact_at_ = std::max<std::size_t>(64, 2 * pieces_.size());
    }
}

void Coverage::compact() const
{
    if (compacted_) {
        return;
    }
    std::sort(pieces_.begin(), pieces_.end(),
              [](const IdRange& a, const IdRange& b) { return a.first < b.first; });
    std::vector<IdRange> merged;
    for (const IdRange& piece : pieces_) {
        if (!merged.empty() && piece.first <= merged.back().end()) {
            const std::uint64_t end = std::max(merged.back().end(), piece.end());
            merged.back().count = end - merged.back().first;
        } else {
            merged.push_back(piece);
        }
    }
    pieces_ = std::move(merged);
    compacted_ = true;
}

std::optional<std::uint64_t> Coverage::first_gap() const
{
    compact();
    std::uint64_t next = wanted_.first;
    for (const IdRange& piece : pieces_) {
        if (piece.first > next) {
            return next;
        }
        next = std::max(next, piece.end());
    }
    if (next < wanted_.end()) {
        return next;
    }
    return std::nullopt;
}

bool Coverage::complete() const
{
    return !first_gap().has_value();
}

}  // namespace idmap
