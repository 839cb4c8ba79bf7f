// Strict decimal numbers: digits only, no sign, no blanks, no leading zero
// (except "0"), so that no text means one number to us and another to a
// base-0 parser such as shadow's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace idmap {

enum class DecimalError { none, empty, not_digits, leading_zero, too_large };

struct ParsedDecimal {
    std::uint64_t value = 0;
    DecimalError error = DecimalError::none;

    [[nodiscard]] bool ok() const noexcept { return error == DecimalError::none; }
};

// Parses text as a decimal number in [0, max].
[[nodiscard]] ParsedDecimal parse_decimal(std::string_view text, std::uint64_t max) noexcept;

// Why parse_decimal(text, max) failed, as a phrase naming the text:
// "'0x10' is not a plain decimal number".
[[nodiscard]] std::string describe_decimal_error(DecimalError error, std::string_view text,
                                                 std::uint64_t max);

}  // namespace idmap
