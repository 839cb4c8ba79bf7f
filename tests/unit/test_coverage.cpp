#include "coverage.hpp"
#include "subid_file.hpp"

#include <gtest/gtest.h>

#include <bitset>
#include <random>

using namespace idmap;

TEST(Coverage, Examples)
{
    Coverage c(IdRange{10, 10});
    EXPECT_EQ(c.first_gap(), 10U);
    c.add({15, 100});
    EXPECT_EQ(c.first_gap(), 10U);
    c.add({0, 12});
    EXPECT_EQ(c.first_gap(), 12U);
    c.add({12, 3});  // adjacent on both sides
    EXPECT_TRUE(c.complete());
}

TEST(Coverage, EndOfIdSpace)
{
    Coverage c(IdRange{4294967290, 5});
    c.add({4294967290, 5});
    EXPECT_TRUE(c.complete());
    Coverage whole(IdRange{0, 4294967295});
    whole.add({0, 2147483648});
    whole.add({2147483648, 2147483647});
    EXPECT_TRUE(whole.complete());
}

TEST(Coverage, ManyPiecesStayBounded)
{
    Coverage c(IdRange{0, 100000});
    for (std::uint64_t i = 0; i < 100000; i += 2) {
        c.add({i, 1});
    }
    EXPECT_EQ(c.first_gap(), 1U);
    for (std::uint64_t i = 1; i < 100000; i += 2) {
        c.add({i, 1});
    }
    EXPECT_TRUE(c.complete());
}

// Property: over a small ID space, Coverage agrees with a brute-force bitmap
// for random wanted ranges and random sets of delegated ranges in any order.
TEST(CoverageProperty, MatchesBruteForceOracle)
{
    constexpr std::uint64_t space = 64;
    std::mt19937_64 random(20261204);
    auto pick = [&](std::uint64_t lo, std::uint64_t hi) {
        return std::uniform_int_distribution<std::uint64_t>(lo, hi)(random);
    };
    int complete_cases = 0;
    for (int round = 0; round < 20000; ++round) {
        const std::uint64_t first = pick(0, space - 1);
        const IdRange wanted{first, pick(1, space - first)};
        Coverage coverage(wanted);
        std::bitset<space> covered;
        const int entries = static_cast<int>(pick(0, 8));
        for (int e = 0; e < entries; ++e) {
            const std::uint64_t start = pick(0, space - 1);
            const IdRange delegated{start, pick(1, space - start)};
            coverage.add(delegated);
            for (std::uint64_t id = delegated.first; id < delegated.end(); ++id) {
                covered.set(id);
            }
        }
        std::optional<std::uint64_t> oracle_gap;
        for (std::uint64_t id = wanted.first; id < wanted.end(); ++id) {
            if (!covered.test(id)) {
                oracle_gap = id;
                break;
            }
        }
        ASSERT_EQ(coverage.first_gap(), oracle_gap) << "round " << round;
        ASSERT_EQ(coverage.complete(), !oracle_gap.has_value());
        complete_cases += oracle_gap ? 0 : 1;
    }
    // The generator must exercise both outcomes.
    EXPECT_GT(complete_cases, 1000);
    EXPECT_LT(complete_cases, 19000);
}

// Property through the file scanner: random files of entries for two owners.
TEST(CoverageProperty, ScanMatchesOracle)
{
    constexpr std::uint64_t space = 48;
    std::mt19937_64 random(7);
    auto pick = [&](std::uint64_t lo, std::uint64_t hi) {
        return std::uniform_int_distribution<std::uint64_t>(lo, hi)(random);
    };
    for (int round = 0; round < 3000; ++round) {
        std::string file;
        std::bitset<space> mine;
        const int entries = static_cast<int>(pick(0, 10));
        for (int e = 0; e < entries; ++e) {
            const std::uint64_t start = pick(0, space - 1);
            const std::uint64_t count = pick(0, space - start);  // 0 grants nothing
            const bool alice = pick(0, 1) == 1;
            file += std::string(alice ? "alice" : "bob") + ":" + std::to_string(start) + ":" +
                    std::to_string(count) + "\n";
            for (std::uint64_t id = start; alice && id < start + count; ++id) {
                mine.set(id);
            }
        }
        const std::uint64_t first = pick(0, space - 1);
        const std::vector<IdRange> wanted{{first, pick(1, space - first)}};
        SubidScan scan(wanted, [](std::string_view owner) { return owner == "alice"; });
        const std::size_t cut = static_cast<std::size_t>(pick(0, file.size()));
        scan.feed(std::string_view(file).substr(0, cut));
        scan.feed(std::string_view(file).substr(cut));
        scan.finish();
        bool oracle = true;
        for (std::uint64_t id = wanted[0].first; id < wanted[0].end(); ++id) {
            oracle = oracle && mine.test(id);
        }
        ASSERT_EQ(scan.coverage()[0].complete(), oracle) << file;
    }
}
