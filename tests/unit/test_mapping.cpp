#include "error.hpp"
#include "mapping.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace idmap;
using ::testing::HasSubstr;

namespace {

std::vector<IdMapping> parse(const std::vector<std::string>& words)
{
    std::vector<std::string_view> views(words.begin(), words.end());
    return parse_mappings(views);
}

std::string error_of(const std::vector<std::string>& words)
{
    try {
        (void)parse(words);
    } catch (const Failure& f) {
        return f.what();
    }
    return "(no error)";
}

}  // namespace

TEST(Mapping, ParsesTriplesInAnyOrder)
{
    const auto m = parse({"1", "100000", "65536", "0", "60001", "1"});
    ASSERT_EQ(m.size(), 2U);
    EXPECT_EQ(m[0], (IdMapping{1, 100000, 65536}));
    EXPECT_EQ(m[1], (IdMapping{0, 60001, 1}));
    EXPECT_EQ(map_text(m), "1 100000 65536\n0 60001 1\n");
}

TEST(Mapping, Bounds)
{
    EXPECT_NO_THROW(parse({"4294967294", "0", "1"}));
    EXPECT_NO_THROW(parse({"0", "4294967294", "1"}));
    EXPECT_NO_THROW(parse({"0", "0", "4294967295"}));
    EXPECT_THAT(error_of({"4294967295", "0", "1"}),
                HasSubstr("triple 1: inner: '4294967295' is too large (at most 4294967294)"));
    EXPECT_THAT(error_of({"0", "4294967295", "1"}), HasSubstr("triple 1: outer"));
    EXPECT_THAT(error_of({"0", "0", "0"}), HasSubstr("triple 1: count: must be at least 1"));
    EXPECT_THAT(error_of({"1", "0", "4294967295"}),
                HasSubstr("runs past the last ID 4294967294 (at most 4294967294 from 1)"));
    EXPECT_THAT(error_of({"0", "4294967294", "2"}), HasSubstr("at most 1 from 4294967294"));
    EXPECT_THAT(error_of({"0", "0", "4294967296"}), HasSubstr("too large"));
}

TEST(Mapping, StrictNumbers)
{
    EXPECT_THAT(error_of({"010", "0", "1"}), HasSubstr("leading zero"));
    EXPECT_THAT(error_of({"0", "0x10", "1"}), HasSubstr("'0x10' is not a plain decimal number"));
    EXPECT_THAT(error_of({"0", "0", "-1"}), HasSubstr("'-1' is not a plain decimal number"));
    EXPECT_THAT(error_of({"0", "0", "1", "1", "2", "x"}), HasSubstr("triple 2: count"));
}

TEST(Mapping, WholeTriplesOnly)
{
    EXPECT_THAT(error_of({}), HasSubstr("no mapping"));
    EXPECT_THAT(error_of({"0", "0"}), HasSubstr("2 words after the target are not whole triples"));
    EXPECT_THAT(error_of({"0", "0", "1", "5"}), HasSubstr("4 words"));
}

TEST(Mapping, AtMost340Triples)
{
    std::vector<std::string> words;
    for (int i = 0; i < 340; ++i) {
        words.insert(words.end(), {std::to_string(i), std::to_string(i), "1"});
    }
    EXPECT_EQ(parse(words).size(), 340U);
    words.insert(words.end(), {"1000", "1000", "1"});
    EXPECT_THAT(error_of(words),
                HasSubstr("too many triples: 341 given, the kernel accepts at most 340"));
}

TEST(Mapping, HugeArgvRefusedBeforeParsing)
{
    // 100,000 triples of garbage: refused on the count, before any word is parsed.
    std::vector<std::string_view> words(300000, "garbage");
    try {
        (void)parse_mappings(words);
        FAIL() << "accepted";
    } catch (const Failure& f) {
        EXPECT_THAT(f.what(), HasSubstr("too many triples: 100000 given"));
    }
}

TEST(Mapping, MapTextMustFitOnePage)
{
    // 340 triples of large numbers: over 4095 bytes.
    std::vector<std::string> words;
    for (std::uint64_t i = 0; i < 340; ++i) {
        words.insert(words.end(),
                     {std::to_string(4000000000 + i), std::to_string(4100000000 + i), "1"});
    }
    EXPECT_THAT(error_of(words), HasSubstr("map too long: the map text is 8160 bytes, the kernel "
                                           "accepts at most 4095"));
}

TEST(Mapping, OverlapNamesBothTriples)
{
    EXPECT_THAT(error_of({"0", "1000", "10", "5", "2000", "1"}),
                HasSubstr("triple 1 (0 1000 10) and triple 2 (5 2000 1): inner ranges overlap "
                          "(0-9 and 5)"));
    EXPECT_THAT(error_of({"0", "1000", "10", "100", "1009", "3", "200", "5000", "1"}),
                HasSubstr("triple 1 (0 1000 10) and triple 2 (100 1009 3): outer ranges overlap"));
    EXPECT_THAT(error_of({"0", "0", "1", "7", "7", "1", "1", "8", "1", "9", "8", "1"}),
                HasSubstr("triple 3 (1 8 1) and triple 4 (9 8 1): outer ranges overlap (8 and 8)"));
    // Adjacent is not overlapping.
    EXPECT_NO_THROW(parse({"0", "1000", "10", "10", "1010", "10"}));
}

TEST(Mapping, OverlapMatchesBruteForce)
{
    // Every pair of small ranges: the overlap test agrees with set intersection.
    for (std::uint64_t a = 0; a < 6; ++a) {
        for (std::uint64_t ac = 1; ac < 4; ++ac) {
            for (std::uint64_t b = 0; b < 6; ++b) {
                for (std::uint64_t bc = 1; bc < 4; ++bc) {
                    bool shared = false;
                    for (std::uint64_t x = 0; x < 10; ++x) {
                        shared = shared || (x >= a && x < a + ac && x >= b && x < b + bc);
                    }
                    EXPECT_EQ((IdRange{a, ac}.overlaps(IdRange{b, bc})), shared);
                }
            }
        }
    }
}

TEST(Mapping, Describe)
{
    EXPECT_EQ(describe_range({5, 1}), "5");
    EXPECT_EQ(describe_range({100000, 65536}), "100000-165535");
    EXPECT_EQ(describe_mapping(1, {0, 100000, 65536}), "triple 2 (0 100000 65536)");
}
