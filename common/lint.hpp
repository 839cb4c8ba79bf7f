// --check (SPEC §7): findings about a delegation file, for administrators.
// Pure: lines go in, findings come out; passwd is injected.
#pragma once

#include "id_kind.hpp"
#include "lines.hpp"
#include "name_map.hpp"
#include "mapping.hpp"
#include "owner.hpp"
#include "subid_file.hpp"

#include <deque>
#include <unordered_map>
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
    struct Owner {
        std::string name;
        bool known = false;                   // has a passwd entry (or is a decimal uid)
        std::uint64_t key = 0;                // the uid, to compare owners (aliases are one owner)
        std::optional<std::uint32_t> own_id;  // their uid (subuid) or primary gid (subgid)
    };
    struct Entry {
        IdRange range;
        std::uint64_t line;
        std::uint64_t owner_key;  // uid, or a number past any uid for an unknown name
        std::uint32_t owner;      // index into owners_
    };

    void take(const Line& line);
    std::uint32_t owner_of(std::string_view owner);
    void add(std::uint64_t line, std::string problem);

    IdKind kind_;
    PasswdLookup& passwd_;
    LineSplitter lines_{max_subid_line};
    std::deque<Owner> owners_;            // a deque: the views in owner_index_ must stay valid
    NameMap<std::uint32_t> owner_index_;  // name -> index into owners_
    std::uint64_t next_unknown_key_ = std::uint64_t{1} << 33;
    std::vector<Entry> entries_;
    std::vector<Finding> findings_;
};

}  // namespace idmap
