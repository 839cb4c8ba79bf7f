// The passwd database, through libc (files, sss, ...).
#pragma once

#include "owner.hpp"

namespace idmap {

class SystemPasswd final : public PasswdLookup {
public:
    [[nodiscard]] std::optional<PasswdEntry> entry_of(const std::string& name) override;
    [[nodiscard]] std::optional<PasswdEntry> entry_of_uid(uid_t uid) override;
};

// The caller's name and primary group from their real uid. A caller without
// a passwd entry is not an error (SPEC §3); a lookup that fails is.
[[nodiscard]] Caller identify_caller(uid_t uid, gid_t gid);

}  // namespace idmap
