// --check (SPEC §7): findings about a delegation file, for administrators.
// Pure: lines go in, findings come out; passwd is injected.
#pragma once

#include "id_kind.hpp"
#include "lines.hpp"
#include "name_map.hpp"
#include "mapping.hpp"
#include "owner.hpp"
#include "subid_file.hpp"

#include <string>
#include <vector>

namespace idmap {

struct Finding {
    std::uint64_t line;  // 0: about the file as a whole
    std::string problem;
};

// Below this, IDs belong to the system and to regular users.
inline constexpr std::uint64_t first_subordinate_id = 65536;

class SubidLint {
public:
    SubidLint(IdKind kind, PasswdLookup& passwd) : kind_(kind), passwd_(passwd) {}

    // Room for about this many lines (e.g. from the file size), so that the
    // tables do not grow step by step on a large file.
    void reserve(std::size_t lines);

    void feed(std::string_view chunk);
    void finish();

    // Sorted by line; overlaps name both lines.
    [[nodiscard]] std::vector<Finding> findings() const;

private:
    // (Both kept small: --check holds one of each per line of a file that
    // may have hundreds of thousands.)
    struct Owner {
        std::uint64_t key = 0;     // the uid, to compare owners (aliases are one owner)
        std::uint32_t own_id = 0;  // their uid (subuid) or primary gid (subgid), if has_own_id
        bool has_own_id = false;
        bool known = false;  // has a passwd entry (or is a decimal uid)
    };
    struct Entry {
        std::uint32_t first;  // the range, which a valid line keeps below 2^32
        std::uint32_t count;
        std::uint32_t owner;  // index into names_ and owners_
        std::uint64_t line;
        std::uint64_t owner_key;  // uid, or a number past any uid for an unknown name

        [[nodiscard]] IdRange range() const noexcept { return IdRange{first, count}; }
    };

    void take_batch();
    void take(const Line& line, const SubidLine& parsed, std::uint64_t owner_hash);
    // Who the owners are, all at once: passwd read once for all of them.
    void resolve_owners();
    void check_entries();
    void check_overlaps();
    void add(std::uint64_t line, std::string problem);

    IdKind kind_;
    PasswdLookup& passwd_;
    LineSplitter lines_{max_subid_line};
    LineBatch batch_;                    // the lines of the chunk being read
    std::vector<SubidLine> parsed_;      // and what they are
    std::vector<std::uint64_t> hashes_;  // the hash of their owners
    NameMap<std::uint32_t> names_;       // every owner, in order of first appearance
    std::vector<Owner> owners_;          // who they are, once resolved
    std::vector<Entry> entries_;         // in file order until check_overlaps()
    std::vector<Finding> findings_;
};

}  // namespace idmap
