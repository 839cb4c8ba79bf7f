// The one error type the helpers throw: a message for the user, already in
// the "<what>: <why>" shape that main() prefixes with the program name.
#pragma once

#include <stdexcept>
#include <string>

namespace idmap {

class Failure : public std::runtime_error {
public:
    Failure(const std::string& what, const std::string& why) : std::runtime_error(what + ": " + why)
    {
    }
};

// "<what>: <strerror(err)>", for a failed system call.
[[noreturn]] void fail_errno(const std::string& what, int err);

}  // namespace idmap
