#include "owner.hpp"

#include "decimal.hpp"
#include "text.hpp"

namespace idmap {

OwnerMatcher::OwnerMatcher(const Caller& caller, PasswdLookup& passwd)
    : uid_text_(std::to_string(caller.uid)), name_(caller.name), uid_(caller.uid), passwd_(passwd)
{
}

bool OwnerMatcher::is_caller(std::string_view owner)
{
    if (owner == uid_text_ || (name_ && owner == *name_)) {
        return true;
    }
    // A decimal owner names a uid, and it is not ours.
    if (parse_decimal(owner, UINT64_MAX).ok()) {
        return false;
    }
    if (const auto known = aliases_.find(owner); known != aliases_.end()) {
        return known->second;
    }
    std::string name(owner);
    ++lookups_;
    const std::optional<PasswdEntry> entry = passwd_.entry_of(name);
    const bool alias = entry.has_value() && entry->uid == uid_;
    aliases_.emplace(std::move(name), alias);
    return alias;
}

std::vector<std::optional<PasswdEntry>> PasswdLookup::entries_of(const NameSet& names)
{
    std::vector<std::optional<PasswdEntry>> found;
    found.reserve(names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        found.push_back(entry_of(std::string(names.name_at(i))));
    }
    return found;
}

std::string describe_caller(const Caller& caller)
{
    if (caller.name) {
        return escape(*caller.name) + " (uid " + std::to_string(caller.uid) + ")";
    }
    return "uid " + std::to_string(caller.uid) + " (no passwd entry)";
}

}  // namespace idmap
