// Privilege handling (SPEC §5), all of it, in one place.
#pragma once

#include "id_kind.hpp"

namespace idmap {

// Step 2: throws Failure unless we hold the kind's capability in the
// permitted set (setuid root or file capabilities, and no no_new_privs).
void require_privilege(IdKind kind);

struct HeldPrivileges {
    bool setfcap = false;  // CAP_SETFCAP kept (only when asked for and available)
};

// Step 4: keep only CAP_SETUID (newuidmap) or CAP_SETGID (newgidmap), plus
// CAP_SETFCAP if want_setfcap and we have it, in permitted and effective;
// nothing inheritable or ambient; no_new_privs set, so that no execve could
// gain anything; real, effective and saved uid and gid switched to the
// caller's. Verifies the result and throws Failure if it is not exactly that.
[[nodiscard]] HeldPrivileges become_caller(IdKind kind, bool want_setfcap);

// For --list and --check: all uids and gids to the caller, no capabilities,
// no_new_privs.
void drop_all_privileges();

}  // namespace idmap
