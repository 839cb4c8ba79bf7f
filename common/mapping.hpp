// The map a caller asks for: triples of inner ID, outer ID and count, with the
// kernel's limits checked up front so that the kernel's bare EINVAL never
// reaches the user.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace idmap {

// (uid_t)-1 is never an ID: IDs are in [0, id_limit), ranges end at most at it.
inline constexpr std::uint64_t id_limit = 4294967295;
inline constexpr std::uint64_t max_id = id_limit - 1;
// The kernel's limits on one map (UID_GID_MAP_MAX_EXTENTS and one page).
inline constexpr std::size_t max_mappings = 340;
inline constexpr std::size_t max_map_text = 4095;

// A half-open range [first, first + count) in 64 bits, so that ends never wrap.
struct IdRange {
    std::uint64_t first = 0;
    std::uint64_t count = 0;

    [[nodiscard]] std::uint64_t end() const noexcept { return first + count; }
    [[nodiscard]] bool overlaps(const IdRange& other) const noexcept
    {
        return first < other.end() && other.first < end();
    }
    friend bool operator==(const IdRange&, const IdRange&) = default;
};

// "100000-165535", or "100000" for a single ID.
[[nodiscard]] std::string describe_range(const IdRange& range);

struct IdMapping {
    std::uint32_t inner = 0;
    std::uint32_t outer = 0;
    std::uint32_t count = 0;

    [[nodiscard]] IdRange inner_range() const noexcept { return {inner, count}; }
    [[nodiscard]] IdRange outer_range() const noexcept { return {outer, count}; }
    friend bool operator==(const IdMapping&, const IdMapping&) = default;
};

// "triple 2 (0 100000 65536)", numbered from 1 as the user wrote them.
[[nodiscard]] std::string describe_mapping(std::size_t index, const IdMapping& mapping);

// Parses the words after the target: a multiple of three strict decimal
// numbers within the kernel's bounds, at most max_mappings triples, no two
// inner and no two outer ranges overlapping, and a map text the kernel
// accepts. Throws Failure naming the first problem.
[[nodiscard]] std::vector<IdMapping> parse_mappings(std::span<const std::string_view> words);

// Throws Failure if `words` words after the target hold more than
// max_mappings triples. Cheap, so it can run before any word is looked at.
void check_triple_count(std::size_t words);

// Throws Failure if two inner or two outer ranges overlap, or if the map text
// would not fit in one kernel write.
void check_mappings(std::span<const IdMapping> mappings);

// The text written to uid_map/gid_map: "<inner> <outer> <count>\n" per triple.
[[nodiscard]] std::string map_text(std::span<const IdMapping> mappings);

}  // namespace idmap
