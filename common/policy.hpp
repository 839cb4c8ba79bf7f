// The decision (SPEC §3), as a pure function: given the request, the caller
// and what each subid source said, which triples are allowed and why, and
// what else the write needs (setgroups "deny", CAP_SETFCAP).
#pragma once

#include "id_kind.hpp"
#include "mapping.hpp"
#include "owner.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace idmap {

// One source's answer for every requested triple (same order).
struct SourceAnswer {
    std::string source;                    // "files (/etc/subuid)", "sss", ...
    std::vector<bool> covered;             // empty if the source failed
    std::vector<std::uint64_t> first_gap;  // per triple, for messages (when not covered)
    std::optional<std::string> error;      // the source could not answer
    bool missing = false;                  // e.g. the delegation file does not exist
};

struct MappingVerdict {
    enum class Grant { own_id, delegated, refused };
    Grant grant = Grant::refused;
    std::string source;  // the source that allowed a delegated triple
    std::string reason;  // why a refused triple is refused
};

struct Verdict {
    std::vector<MappingVerdict> mappings;
    bool deny_setgroups = false;  // newgidmap: no triple was allowed by a delegation
    bool needs_setfcap = false;   // newuidmap: an allowed triple maps outer uid 0

    [[nodiscard]] bool allowed() const noexcept;
    // Index of the first refused triple, if any.
    [[nodiscard]] std::optional<std::size_t> first_refused() const noexcept;
};

// The own-ID rule: count 1 and outer == the caller's real uid (gid).
[[nodiscard]] bool is_own_id(const IdMapping& mapping, std::uint32_t own_id) noexcept;

// The caller's real uid (newuidmap) or real gid (newgidmap).
[[nodiscard]] std::uint32_t own_id(IdKind kind, const Caller& caller) noexcept;

// Whether to keep CAP_SETFCAP: any triple whose outer range contains uid 0.
[[nodiscard]] bool maps_outer_root(IdKind kind, std::span<const IdMapping> mappings) noexcept;

// A delegation (from any source) is preferred over the own-ID rule, as in
// shadow: an own gid that is also delegated does not force setgroups "deny".
[[nodiscard]] Verdict decide(IdKind kind, const Caller& caller, std::span<const IdMapping> mappings,
                             std::span<const SourceAnswer> answers);

}  // namespace idmap
