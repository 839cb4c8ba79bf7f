// The one thing that separates newuidmap from newgidmap: which kind of ID it
// maps. Everything that depends on it is looked up here.
#pragma once

namespace idmap {

enum class IdKind { uid, gid };

struct KindTraits {
    const char* program;     // fixed program name for messages, never argv[0]
    const char* id_word;     // "uid" / "gid"
    const char* map_file;    // file in /proc/<pid>/
    const char* subid_path;  // delegation file
    int capability;          // the one capability the helper keeps
    const char* capability_name;
};

[[nodiscard]] const KindTraits& traits(IdKind kind) noexcept;

}  // namespace idmap
