#include "name_map.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

using namespace idmap;

TEST(NameMap, FirstInsertionWins)
{
    NameMap<int> map;
    EXPECT_EQ(map.find("alice"), nullptr);
    EXPECT_TRUE(map.try_emplace("alice", 1).second);
    EXPECT_FALSE(map.try_emplace("alice", 2).second);
    ASSERT_NE(map.find("alice"), nullptr);
    EXPECT_EQ(*map.find("alice"), 1);
    EXPECT_EQ(map.find("alic"), nullptr);
    EXPECT_EQ(map.find(""), nullptr);
    EXPECT_TRUE(map.try_emplace("", 3).second);  // the empty name is a name like any other
    EXPECT_EQ(*map.find(""), 3);
    EXPECT_EQ(map.size(), 2U);
    EXPECT_EQ(map.name_at(0), "alice");
    EXPECT_EQ(map.name_at(1), "");
    EXPECT_EQ(map.index_of("alice"), 0U);
    EXPECT_EQ(map.index_of("bob"), map.size());
}

// Against std::map, through growth, with names of every length and many
// that share prefixes or hash alike.
TEST(NameMapProperty, MatchesStdMap)
{
    std::mt19937 rng(1204);
    for (int round = 0; round < 20; ++round) {
        NameMap<std::size_t> map;
        if (round % 2 == 0) {
            map.reserve(static_cast<std::size_t>(round) * 100);
        }
        std::map<std::string, std::size_t> oracle;
        std::vector<std::string> order;
        for (int op = 0; op < 5000; ++op) {
            std::string name;
            const int length = std::uniform_int_distribution<int>(0, 40)(rng);
            for (int i = 0; i < length; ++i) {
                name += static_cast<char>('a' + std::uniform_int_distribution<int>(0, 2)(rng));
            }
            const auto value = static_cast<std::size_t>(op);
            const auto [slot, inserted] = map.try_emplace(name, value);
            const auto [it, oracle_inserted] = oracle.try_emplace(name, value);
            ASSERT_EQ(inserted, oracle_inserted) << name;
            ASSERT_EQ(*slot, it->second) << name;
            if (inserted) {
                order.push_back(name);
            }
        }
        ASSERT_EQ(map.size(), oracle.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            ASSERT_EQ(map.name_at(i), order[i]);
            ASSERT_EQ(map.value_at(i), oracle.at(order[i]));
            ASSERT_EQ(map.index_of(order[i]), i);
        }
        for (int probe = 0; probe < 1000; ++probe) {
            const std::string name = "b" + std::to_string(probe) + "x";
            ASSERT_EQ(map.find(name), nullptr);
        }
    }
}
