// Who the caller is, and which subid owners name them (SPEC §3): their login
// name, their uid in decimal, or another login name with the same uid.
#pragma once

#include <sys/types.h>

#include "name_map.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace idmap {

struct Caller {
    uid_t uid = 0;                    // real uid
    gid_t gid = 0;                    // real gid
    std::optional<std::string> name;  // passwd entry of uid, if any
    std::optional<gid_t> passwd_gid;  // its primary group
};

struct PasswdEntry {
    uid_t uid = 0;
    gid_t gid = 0;
};

// Injected so that the matching logic is pure and testable.
class PasswdLookup {
public:
    virtual ~PasswdLookup() = default;
    // The entry of login name, or nullopt if there is no such user.
    [[nodiscard]] virtual std::optional<PasswdEntry> entry_of(const std::string& name) = 0;
    // The entry of a uid, or nullopt.
    [[nodiscard]] virtual std::optional<PasswdEntry> entry_of_uid(uid_t uid) = 0;
    // The entries of many names at once (--check), in the order of names,
    // each looked up once. By default through entry_of.
    [[nodiscard]] virtual std::vector<std::optional<PasswdEntry>> entries_of(const NameSet& names);
};

class OwnerMatcher {
public:
    OwnerMatcher(const Caller& caller, PasswdLookup& passwd);

    // Looks each distinct owner name up at most once.
    [[nodiscard]] bool is_caller(std::string_view owner);

    [[nodiscard]] std::size_t lookups() const noexcept { return lookups_; }

private:
    std::string uid_text_;
    std::optional<std::string> name_;
    uid_t uid_;
    PasswdLookup& passwd_;
    std::map<std::string, bool, std::less<>> aliases_;
    std::size_t lookups_ = 0;
};

// How the caller is named in messages: "alice (uid 60001)" or "uid 60001".
[[nodiscard]] std::string describe_caller(const Caller& caller);

}  // namespace idmap
