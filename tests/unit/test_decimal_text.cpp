#include "decimal.hpp"
#include "text.hpp"

#include <gtest/gtest.h>

using namespace idmap;

TEST(Decimal, AcceptsPlainDecimal)
{
    EXPECT_EQ(parse_decimal("0", 10).value, 0U);
    EXPECT_EQ(parse_decimal("7", 10).value, 7U);
    EXPECT_EQ(parse_decimal("4294967294", 4294967294).value, 4294967294U);
    EXPECT_TRUE(parse_decimal("18446744073709551615", UINT64_MAX).ok());
}

TEST(Decimal, RejectsWhatBaseZeroParsersAccept)
{
    EXPECT_EQ(parse_decimal("010", 100).error, DecimalError::leading_zero);
    EXPECT_EQ(parse_decimal("00", 100).error, DecimalError::leading_zero);
    EXPECT_EQ(parse_decimal("0x10", 100).error, DecimalError::not_digits);
    EXPECT_EQ(parse_decimal("+1", 100).error, DecimalError::not_digits);
    EXPECT_EQ(parse_decimal("-1", 100).error, DecimalError::not_digits);
    EXPECT_EQ(parse_decimal(" 1", 100).error, DecimalError::not_digits);
    EXPECT_EQ(parse_decimal("1 ", 100).error, DecimalError::not_digits);
    EXPECT_EQ(parse_decimal("1\n", 100).error, DecimalError::not_digits);
    EXPECT_EQ(parse_decimal("", 100).error, DecimalError::empty);
    EXPECT_EQ(parse_decimal(std::string_view("1\0", 2), 100).error, DecimalError::not_digits);
}

TEST(Decimal, RejectsTooLarge)
{
    EXPECT_EQ(parse_decimal("4294967295", 4294967294).error, DecimalError::too_large);
    EXPECT_EQ(parse_decimal("18446744073709551616", UINT64_MAX).error, DecimalError::too_large);
    EXPECT_EQ(parse_decimal("99999999999999999999999999", UINT64_MAX).error,
              DecimalError::too_large);
}

TEST(Decimal, DescribesEachError)
{
    EXPECT_EQ(describe_decimal_error(DecimalError::leading_zero, "010", 9),
              "'010' has a leading zero (numbers are plain decimal)");
    EXPECT_EQ(describe_decimal_error(DecimalError::not_digits, "0x10", 9),
              "'0x10' is not a plain decimal number");
    EXPECT_EQ(describe_decimal_error(DecimalError::too_large, "12", 9),
              "'12' is too large (at most 9)");
    EXPECT_EQ(describe_decimal_error(DecimalError::empty, "", 9),
              "empty where a number is expected");
}

TEST(Escape, KeepsPrintableAsciiAndEscapesTheRest)
{
    EXPECT_EQ(escape("abc 123:-_"), "abc 123:-_");
    EXPECT_EQ(escape("a\nb"), "a\\x0ab");
    EXPECT_EQ(escape("\x1b[31mred"), "\\x1b[31mred");
    EXPECT_EQ(escape("back\\slash"), "back\\x5cslash");
    EXPECT_EQ(escape(std::string_view("nul\0", 4)), "nul\\x00");
    EXPECT_EQ(escape("\xff\x7f"), "\\xff\\x7f");
    EXPECT_EQ(quote("x\ty"), "'x\\x09y'");
}

TEST(Escape, OutputIsAlwaysPrintable)
{
    std::string all;
    for (int c = 0; c < 256; ++c) {
        all.push_back(static_cast<char>(c));
    }
    for (char c : escape(all)) {
        const auto byte = static_cast<unsigned char>(c);
        EXPECT_TRUE(byte >= 0x20 && byte < 0x7f) << int(byte);
    }
}
