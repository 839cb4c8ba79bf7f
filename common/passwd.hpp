// The passwd database, through libc (files, sss, ...).
#pragma once

#include "owner.hpp"

#include <unordered_map>

namespace idmap {

class SystemPasswd final : public PasswdLookup {
public:
    [[nodiscard]] std::optional<PasswdEntry> entry_of(const std::string& name) override;
    [[nodiscard]] std::optional<PasswdEntry> entry_of_uid(uid_t uid) override;
};

// For --check, which looks up every owner of a large file: the whole
// passwd database read once with getpwent. When /etc/nsswitch.conf says it
// comes only from files (and systemd), a name not found is not there;
// otherwise (sss, ldap...) misses are asked one by one.
class EnumeratedPasswd final : public PasswdLookup {
public:
    EnumeratedPasswd();
    [[nodiscard]] std::optional<PasswdEntry> entry_of(const std::string& name) override;
    [[nodiscard]] std::optional<PasswdEntry> entry_of_uid(uid_t uid) override;

private:
    std::unordered_map<std::string, PasswdEntry> by_name_;
    std::unordered_map<uid_t, PasswdEntry> by_uid_;
    bool complete_ = false;
    SystemPasswd one_by_one_;
};

// The caller's name and primary group from their real uid. A caller without
// a passwd entry is not an error (SPEC §3); a lookup that fails is.
[[nodiscard]] Caller identify_caller(uid_t uid, gid_t gid);

}  // namespace idmap
