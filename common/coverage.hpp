// Whether a wanted range is covered by a union of delegated ranges that may
// be adjacent, overlapping and in any order.
#pragma once

#include "mapping.hpp"

#include <optional>
#include <vector>

namespace idmap {

class Coverage {
public:
    explicit Coverage(IdRange wanted) : wanted_(wanted) {}

    // Adds the part of a delegated range that falls inside the wanted range.
    void add(const IdRange& delegated);

    [[nodiscard]] const IdRange& wanted() const noexcept { return wanted_; }
    [[nodiscard]] bool complete() const;
    // The first wanted ID that no delegated range covers, if any.
    [[nodiscard]] std::optional<std::uint64_t> first_gap() const;

private:
    void compact() const;

    IdRange wanted_;
    mutable std::vector<IdRange> pieces_;  // clipped to wanted_; merged on demand
    mutable bool compacted_ = true;
    std::size_t compact_at_ = 64;
};

}  // namespace idmap
