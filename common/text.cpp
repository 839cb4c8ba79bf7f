#include "text.hpp"

#include "error.hpp"

#include <cstring>

namespace idmap {

std::string escape(std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f && byte != '\\') {
            out.push_back(c);
        } else {
            out += "\\x";
            out.push_back(hex[byte >> 4]);
            out.push_back(hex[byte & 0xf]);
        }
    }
    return out;
}

std::string quote(std::string_view text)
{
    return "'" + escape(text) + "'";
}

void fail_errno(const std::string& what, int err)
{
    throw Failure(what, std::strerror(err));
}

}  // namespace idmap
