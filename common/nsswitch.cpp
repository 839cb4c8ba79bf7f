#include "nsswitch.hpp"

#include "error.hpp"
#include "text.hpp"

#include <strings.h>

#include <algorithm>
#include <optional>

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

// Calls on_line(number, rest) for each line that starts (after blanks) with
// "<database>:" (in any case if any_case), with what follows the colon and
// without a '#' comment, until on_line returns true.
template <typename OnLine>
void each_database_line(std::string_view text, std::string_view database, bool any_case,
                        OnLine&& on_line)
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
        const bool named =
            line.size() > database.size() && line[database.size()] == ':' &&
            (any_case ? strncasecmp(line.data(), database.data(), database.size()) == 0
                      : line.starts_with(database));
        if (!named) {
            continue;
        }
        std::string_view rest = line.substr(database.size() + 1);
        if (on_line(number, rest.substr(0, rest.find('#')))) {
            return;
        }
    }
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
    std::vector<std::string> sources;
    each_database_line(text, "subid", true, [&](std::size_t number, std::string_view rest) {
        const auto words = words_of(rest);
        if (words.empty()) {
            return false;  // as in shadow: an empty subid: line is passed over
        }
        const std::string where = std::string(path) + ":" + std::to_string(number);
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
        return true;
    });
    if (sources.empty()) {
        sources.emplace_back("files");
    }
    return sources;
}

std::vector<std::string> nss_services(std::string_view text, std::string_view database)
{
    std::optional<std::vector<std::string>> services;
    each_database_line(text, database, false, [&](std::size_t, std::string_view rest) {
        services.emplace();
        for (std::string_view word : words_of(rest)) {
            if (word.front() != '[') {
                services->emplace_back(word);
            }
        }
        return true;
    });
    return services.value_or(std::vector<std::string>{"files"});
}

std::vector<std::vector<std::string>> nss_database_lines(std::string_view text,
                                                         std::string_view database)
{
    std::vector<std::vector<std::string>> lines;
    each_database_line(text, database, true, [&](std::size_t, std::string_view rest) {
        const auto words = words_of(rest);
        lines.emplace_back(words.begin(), words.end());
        return false;
    });
    return lines;
}

}  // namespace idmap
