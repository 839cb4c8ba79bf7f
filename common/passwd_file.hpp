// /etc/passwd read directly (SPEC §3 names the caller by their passwd
// entry). glibc's "files" service does the same, through more machinery;
// reading the file ourselves is several times cheaper on every start.
// Pure: a line in, what nss_files would make of it out.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string_view>

namespace idmap {

// Longer lines are read by libc instead.
inline constexpr std::size_t max_passwd_line = 64 * 1024;

struct PasswdLine {
    enum class Kind {
        skip,     // blank, or a '#' comment: nss_files passes over it
        entry,    // name:password:uid:gid:gecos:home:shell, plain
        unusual,  // anything else: ask libc, which may read it differently
    };
    Kind kind = Kind::skip;
    std::string_view name;
    uid_t uid = 0;
    gid_t gid = 0;
};

// "Plain" is what useradd writes: seven fields, a name without blanks or
// control characters that does not start with '+' or '-' (compat entries),
// uid and gid in strict decimal below 4294967295, no blank before the
// name. For such a line nss_files gives the same name, uid and gid.
[[nodiscard]] PasswdLine parse_passwd_line(std::string_view line) noexcept;

// Whether the "passwd:" line of nsswitch.conf text starts with "files" and
// no action follows it, so that an entry found in /etc/passwd is the answer
// glibc would give. False when there is no such line (glibc's default then
// is not ours to guess) or more than one.
[[nodiscard]] bool passwd_files_first(std::string_view nsswitch_text);

// Whether "files" is the only passwd service: then an ID not in /etc/passwd
// has no entry at all.
[[nodiscard]] bool passwd_files_only(std::string_view nsswitch_text);

}  // namespace idmap
