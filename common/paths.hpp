// Every path the helpers trust. Compile-time constants on purpose: no
// argument, environment variable or file may change them in an installed
// binary (tests replace the files in a private mount namespace instead).
#pragma once

namespace idmap::paths {

inline constexpr const char* proc = "/proc";
inline constexpr const char* proc_self = "/proc/self";
inline constexpr const char* subuid = "/etc/subuid";
inline constexpr const char* subgid = "/etc/subgid";
inline constexpr const char* login_defs = "/etc/login.defs";
inline constexpr const char* nsswitch = "/etc/nsswitch.conf";
inline constexpr const char* passwd = "/etc/passwd";
inline constexpr const char* dev_null = "/dev/null";
inline constexpr char dev_log[] = "/dev/log";

}  // namespace idmap::paths
