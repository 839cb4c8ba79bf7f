// /etc/login.defs: "NAME value" lines; only GRANT_AUX_GROUP_SUBIDS matters
// here. Parsed as shadow's getdef does: '#' comments, optional double
// quotes around the value, the last definition wins, booleans are "yes".
#pragma once

#include "lines.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace idmap {

class LoginDefsScan {
public:
    explicit LoginDefsScan(std::string key) : key_(std::move(key)) {}

    void feed(std::string_view chunk);
    void finish();

    [[nodiscard]] const std::optional<std::string>& value() const noexcept { return value_; }
    // shadow's getdef_bool: true only for "yes", in any case.
    [[nodiscard]] bool is_yes() const noexcept;

private:
    void take(const Line& line);

    std::string key_;
    LineSplitter lines_{4096};
    std::optional<std::string> value_;
};

}  // namespace idmap
