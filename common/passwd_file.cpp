#include "passwd_file.hpp"

#include "decimal.hpp"
#include "mapping.hpp"
#include "nsswitch.hpp"

#include <array>

namespace idmap {

namespace {

PasswdLine unusual() noexcept
{
    PasswdLine line;
    line.kind = PasswdLine::Kind::unusual;
    return line;
}

}  // namespace

PasswdLine parse_passwd_line(std::string_view text) noexcept
{
    const std::size_t first = text.find_first_not_of(" \t\r\f\v");
    if (first == std::string_view::npos || text[first] == '#') {
        return PasswdLine{};
    }
    if (first != 0) {
        return unusual();
    }
    // The six colons, in one pass over the line.
    std::array<std::size_t, 6> colons{};
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ':') {
            if (n == colons.size()) {
                return unusual();  // an eighth field
            }
            colons[n++] = i;
        }
    }
    if (n != colons.size()) {
        return unusual();
    }
    const auto field = [&](std::size_t k) {
        const std::size_t begin = k == 0 ? 0 : colons[k - 1] + 1;
        return text.substr(begin, colons[k] - begin);
    };
    const std::array<std::string_view, 4> fields{field(0), field(1), field(2), field(3)};
    const std::string_view name = fields[0];
    if (name.empty() || name.front() == '+' || name.front() == '-') {
        return unusual();
    }
    for (char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f) {
            return unusual();
        }
    }
    const ParsedDecimal uid = parse_decimal(fields[2], max_id);
    const ParsedDecimal gid = parse_decimal(fields[3], max_id);
    if (!uid.ok() || !gid.ok()) {
        return unusual();
    }
    PasswdLine line;
    line.kind = PasswdLine::Kind::entry;
    line.name = name;
    line.uid = static_cast<uid_t>(uid.value);
    line.gid = static_cast<gid_t>(gid.value);
    return line;
}

bool passwd_files_first(std::string_view nsswitch_text)
{
    const auto lines = nss_database_lines(nsswitch_text, "passwd");
    if (lines.size() != 1) {
        return false;
    }
    const std::vector<std::string>& words = lines.front();
    return !words.empty() && words[0] == "files" && (words.size() == 1 || words[1][0] != '[');
}

bool passwd_files_only(std::string_view nsswitch_text)
{
    const auto lines = nss_database_lines(nsswitch_text, "passwd");
    return lines.size() == 1 && lines.front() == std::vector<std::string>{"files"};
}

}  // namespace idmap
