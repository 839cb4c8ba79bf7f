// A subid source that is a shadow-ABI plugin, libsubid_<name>.so, loaded
// with dlopen by that bare name (the loader's secure mode ignores
// LD_LIBRARY_PATH for us, and the environment is cleared anyway).
#pragma once

#include "sources.hpp"

namespace idmap {

// The plugin for a valid source name; if it cannot be loaded or lacks
// shadow_subid_has_range, a source that answers with that error.
[[nodiscard]] std::unique_ptr<SubidSource> load_plugin_source(const std::string& name, IdKind kind);

}  // namespace idmap
