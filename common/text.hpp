// Escaping user input before it is echoed in a message, so that a hostile
// argument or file cannot put control characters or escape sequences on the
// user's terminal or split one log line into two.
#pragma once

#include <string>
#include <string_view>

namespace idmap {

// Printable ASCII is kept except the backslash; every other byte becomes \xNN.
[[nodiscard]] std::string escape(std::string_view text);

// escape(text) between single quotes.
[[nodiscard]] std::string quote(std::string_view text);

}  // namespace idmap
