// SPEC §5 step 1, before anything else runs: standard descriptors open,
// no inherited environment, a strict umask, not dumpable.
#pragma once

namespace idmap {

// Exits with status 1 if it cannot make the process safe to go on.
void startup_hygiene() noexcept;

// Writes text to fd in one write(), ignoring failure (there is no one left to tell).
void write_all_or_ignore(int fd, const char* text, unsigned long size) noexcept;

}  // namespace idmap
