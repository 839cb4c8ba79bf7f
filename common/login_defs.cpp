#include "login_defs.hpp"

#include <strings.h>

namespace idmap {

namespace {

constexpr std::string_view blanks = " \t";

std::string_view trim(std::string_view text)
{
    const std::size_t first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) {
        return {};
    }
    const std::size_t last = text.find_last_not_of(blanks);
    return text.substr(first, last - first + 1);
}

}  // namespace

void LoginDefsScan::take(const Line& line)
{
    if (line.too_long) {
        return;
    }
    const std::string_view text = trim(line.text);
    if (text.empty() || text.front() == '#') {
        return;
    }
    const std::size_t name_end = text.find_first_of(blanks);
    if (name_end == std::string_view::npos || text.substr(0, name_end) != key_) {
        return;
    }
    std::string_view value = trim(text.substr(name_end));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
    }
    value_ = std::string(value);
}

void LoginDefsScan::feed(std::string_view chunk)
{
    lines_.feed(chunk, [this](const Line& line) { take(line); });
}

void LoginDefsScan::finish()
{
    lines_.finish([this](const Line& line) { take(line); });
}

bool LoginDefsScan::is_yes() const noexcept
{
    return value_.has_value() && strcasecmp(value_->c_str(), "yes") == 0;
}

}  // namespace idmap
