#include "nsswitch.hpp"

#include "error.hpp"
#include "text.hpp"

#include <strings.h>

namespace idmap {

namespace {

constexpr std::string_view blanks = " \t\r";
constexpr std::size_t max_source_name = 64;

std::vector<std::string_view> words_of(std::string_view text)
{
    std::vector<std::string_view> words;
    std::size_t pos = 0;
    while ((pos = text.find_first_not_of(blanks, pos)) != std::string_view::npos) {
        const std::size_t end = text.find_first_of(blanks, pos);
        words.push_back(text.substr(pos, end - pos));
        pos = end;
    }
    return words;
}

}  // namespace

bool valid_source_name(std::string_view name) noexcept
{
    if (name.empty() || name.size() > max_source_name) {
        return false;
    }
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::vector<std::string> parse_nsswitch_subid(std::string_view text, std::string_view path)
{
    std::size_t number = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find('\n', start);
        std::string_view line =
            text.substr(start, end == std::string_view::npos ? end : end - start);
        start = end == std::string_view::npos ? text.size() + 1 : end + 1;
        ++number;
        line.remove_prefix(std::min(line.size(), line.find_first_not_of(blanks)));
        if (line.size() < 6 || strncasecmp(line.data(), "subid:", 6) != 0) {
            continue;
        }
        line.remove_prefix(6);
        line = line.substr(0, line.find('#'));
        const auto words = words_of(line);
        if (words.empty()) {
            continue;  // as in shadow: an empty subid: line is passed over
        }
        const std::string where = std::string(path) + ":" + std::to_string(number);
        std::vector<std::string> sources;
        for (std::string_view word : words) {
            if (word.front() == '[') {
                throw Failure(where, "nsswitch actions such as " + quote(word) +
                                         " are not supported on the subid line");
            }
            if (!valid_source_name(word)) {
                throw Failure(where, quote(word) +
                                         " is not a subid source name (letters, digits, '_' and "
                                         "'-', at most 64)");
            }
            sources.emplace_back(word);
        }
        return sources;
    }
    return {"files"};
}

std::vector<std::string> nss_services(std::string_view text, std::string_view database)
{
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find('\n', start);
        std::string_view line =
            text.substr(start, end == std::string_view::npos ? end : end - start);
        start = end == std::string_view::npos ? text.size() + 1 : end + 1;
        line.remove_prefix(std::min(line.size(), line.find_first_not_of(blanks)));
        if (!line.starts_with(database) || line.substr(database.size(), 1) != ":") {
            continue;
        }
        line.remove_prefix(database.size() + 1);
        std::vector<std::string> services;
        for (std::string_view word : words_of(line.substr(0, line.find('#')))) {
            if (word.front() != '[') {
                services.emplace_back(word);
            }
        }
        return services;
    }
    return {"files"};
}

}  // namespace idmap
