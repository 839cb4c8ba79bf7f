// The whole program, shared by newuidmap and newgidmap: startup, parse,
// decide, apply (SPEC §5), and the one place that turns errors into a
// message and exit status 1.
#pragma once

#include "id_kind.hpp"

namespace idmap {

[[nodiscard]] int run_helper(IdKind kind, int argc, char** argv) noexcept;

}  // namespace idmap
