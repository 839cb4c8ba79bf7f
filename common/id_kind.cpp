#include "id_kind.hpp"

#include "paths.hpp"

#include <linux/capability.h>

namespace idmap {

const KindTraits& traits(IdKind kind) noexcept
{
    static constexpr KindTraits uid{"newuidmap",   "uid",      "uid_map",
                                    paths::subuid, CAP_SETUID, "CAP_SETUID"};
    static constexpr KindTraits gid{"newgidmap",   "gid",      "gid_map",
                                    paths::subgid, CAP_SETGID, "CAP_SETGID"};
    return kind == IdKind::uid ? uid : gid;
}

}  // namespace idmap
