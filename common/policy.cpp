#include "policy.hpp"

#include <algorithm>

namespace idmap {

bool Verdict::allowed() const noexcept
{
    return !first_refused().has_value();
}

std::optional<std::size_t> Verdict::first_refused() const noexcept
{
    for (std::size_t i = 0; i < mappings.size(); ++i) {
        if (mappings[i].grant == MappingVerdict::Grant::refused) {
            return i;
        }
    }
    return std::nullopt;
}

bool is_own_id(const IdMapping& mapping, std::uint32_t own) noexcept
{
    return mapping.count == 1 && mapping.outer == own;
}

std::uint32_t own_id(IdKind kind, const Caller& caller) noexcept
{
    return kind == IdKind::uid ? caller.uid : caller.gid;
}

bool maps_outer_root(IdKind kind, std::span<const IdMapping> mappings) noexcept
{
    return kind == IdKind::uid && std::any_of(mappings.begin(), mappings.end(),
                                              [](const IdMapping& m) { return m.outer == 0; });
}

namespace {

std::string refusal(IdKind kind, const Caller& caller, const IdMapping& mapping, std::size_t index,
                    std::span<const SourceAnswer> answers)
{
    const std::string id = traits(kind).id_word;
    std::string details;
    for (const SourceAnswer& answer : answers) {
        if (!details.empty()) {
            details += "; ";
        }
        if (answer.error) {
            details += *answer.error;
        } else if (answer.missing) {
            details += answer.source + " does not exist";
        } else {
            const std::uint64_t gap =
                index < answer.first_gap.size() ? answer.first_gap[index] : mapping.outer;
            details += gap == mapping.outer
                           ? "nothing in " + answer.source + " covers them"
                           : answer.source + " does not cover " + id + " " + std::to_string(gap);
        }
    }
    if (answers.empty()) {
        details = "no subid source is configured";
    }
    return "outer " + id + "s " + describe_range(mapping.outer_range()) + " are not delegated to " +
           describe_caller(caller) + ": " + details;
}

}  // namespace

Verdict decide(IdKind kind, const Caller& caller, std::span<const IdMapping> mappings,
               std::span<const SourceAnswer> answers)
{
    Verdict verdict;
    verdict.mappings.resize(mappings.size());
    bool any_delegated = false;
    const std::uint32_t own = own_id(kind, caller);
    for (std::size_t i = 0; i < mappings.size(); ++i) {
        MappingVerdict& v = verdict.mappings[i];
        const auto covering =
            std::find_if(answers.begin(), answers.end(), [i](const SourceAnswer& a) {
                return !a.error && i < a.covered.size() && a.covered[i];
            });
        if (covering != answers.end()) {
            v.grant = MappingVerdict::Grant::delegated;
            v.source = covering->source;
            any_delegated = true;
        } else if (is_own_id(mappings[i], own)) {
            v.grant = MappingVerdict::Grant::own_id;
        } else {
            v.grant = MappingVerdict::Grant::refused;
            v.reason = refusal(kind, caller, mappings[i], i, answers);
        }
    }
    verdict.deny_setgroups = kind == IdKind::gid && !any_delegated;
    verdict.needs_setfcap = maps_outer_root(kind, mappings);
    return verdict;
}

}  // namespace idmap
