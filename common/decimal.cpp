#include "decimal.hpp"

#include "text.hpp"

#include <cstdint>

namespace idmap {

ParsedDecimal parse_decimal(std::string_view text, std::uint64_t max) noexcept
{
    if (text.empty()) {
        return {0, DecimalError::empty};
    }
    // One pass: every byte must be a digit (that is said before "too
    // large"), and the value is kept while it fits.
    std::uint64_t value = 0;
    bool overflow = false;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return {0, DecimalError::not_digits};
        }
        const auto digit = static_cast<std::uint64_t>(c - '0');
        overflow = overflow || value > (UINT64_MAX - digit) / 10;
        value = value * 10 + digit;
    }
    if (text.size() > 1 && text.front() == '0') {
        return {0, DecimalError::leading_zero};
    }
    if (overflow || value > max) {
        return {0, DecimalError::too_large};
    }
    return {value, DecimalError::none};
}

std::string describe_decimal_error(DecimalError error, std::string_view text, std::uint64_t max)
{
    switch (error) {
    case DecimalError::none:
        break;
    case DecimalError::empty:
        return "empty where a number is expected";
    case DecimalError::not_digits:
        return quote(text) + " is not a plain decimal number";
    case DecimalError::leading_zero:
        return quote(text) + " has a leading zero (numbers are plain decimal)";
    case DecimalError::too_large:
        return quote(text) + " is too large (at most " + std::to_string(max) + ")";
    }
    return quote(text) + " is not a number";
}

}  // namespace idmap
