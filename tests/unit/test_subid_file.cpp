#include "subid_file.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

using namespace idmap;

namespace {

SubidLine::Kind kind_of(std::string_view line)
{
    return parse_subid_line(line).kind;
}

std::string problem_of(std::string_view line)
{
    return std::string(parse_subid_line(line).problem);
}

}  // namespace

TEST(SubidLine, Entries)
{
    const SubidLine line = parse_subid_line("alice:100000:65536");
    ASSERT_EQ(line.kind, SubidLine::Kind::entry);
    EXPECT_EQ(line.entry.owner, "alice");
    EXPECT_EQ(line.entry.range, (IdRange{100000, 65536}));
    EXPECT_EQ(parse_subid_line("60001:0:1").entry.owner, "60001");
    EXPECT_EQ(parse_subid_line("u:4294967294:1").entry.range, (IdRange{4294967294, 1}));
    EXPECT_EQ(parse_subid_line("u:0:4294967295").entry.range, (IdRange{0, 4294967295}));
}

TEST(SubidLine, Comments)
{
    EXPECT_EQ(kind_of(""), SubidLine::Kind::comment);
    EXPECT_EQ(kind_of("   \t "), SubidLine::Kind::comment);
    EXPECT_EQ(kind_of("# alice:1:2"), SubidLine::Kind::comment);
    EXPECT_EQ(kind_of("  #x"), SubidLine::Kind::comment);
}

TEST(SubidLine, InvalidLinesSayWhy)
{
    EXPECT_EQ(problem_of("alice:1"), "not owner:start:count (too few fields)");
    EXPECT_EQ(problem_of("alice"), "not owner:start:count (too few fields)");
    EXPECT_EQ(problem_of("alice:1:2:3"), "not owner:start:count (too many fields)");
    EXPECT_EQ(problem_of(":1:2"), "empty owner");
    EXPECT_EQ(problem_of("alice::2"), "empty start");
    EXPECT_EQ(problem_of("alice:1:"), "empty count");
    EXPECT_EQ(problem_of(" alice:1:2"), "owner contains a blank or control character");
    EXPECT_EQ(problem_of("al ice:1:2"), "owner contains a blank or control character");
    EXPECT_EQ(problem_of(std::string_view("al\0ice:1:2", 10)),
              "owner contains a blank or control character");
    EXPECT_EQ(problem_of("alice:010:2"), "start is not a plain decimal number");
    EXPECT_EQ(problem_of("alice:0x10:2"), "start is not a plain decimal number");
    EXPECT_EQ(problem_of("alice:-1:2"), "start is not a plain decimal number");
    EXPECT_EQ(problem_of("alice:4294967295:1"), "start is past the last ID 4294967294");
    EXPECT_EQ(problem_of("alice:1:2 "), "count is not a plain decimal number");
    EXPECT_EQ(problem_of("alice:1:2\r"), "count ends in a carriage return (DOS line ending)");
    EXPECT_EQ(problem_of("alice:1:4294967296"), "count is larger than the ID space");
    EXPECT_EQ(problem_of("alice:1:4294967295"), "range runs past the last ID 4294967294");
    EXPECT_EQ(problem_of("alice:4294967294:2"), "range runs past the last ID 4294967294");
}

TEST(SubidLine, ZeroCountGrantsNothing)
{
    // shadow before 4.20 let "user:0:0" grant every range.
    EXPECT_EQ(kind_of("alice:0:0"), SubidLine::Kind::invalid);
    EXPECT_EQ(problem_of("alice:100000:0"), "count is 0, which grants nothing");
}

TEST(LineSplitter, SplitsAcrossChunksAndKeepsNumbers)
{
    std::vector<std::pair<std::string, std::uint64_t>> seen;
    LineSplitter lines(100);
    auto take = [&](const Line& l) { seen.emplace_back(std::string(l.text), l.number); };
    lines.feed("a:1:2\nb:", take);
    lines.feed("3:4", take);
    lines.feed("\n\nlast", take);
    lines.finish(take);
    ASSERT_EQ(seen.size(), 4U);
    EXPECT_EQ(seen[0], (std::pair<std::string, std::uint64_t>{"a:1:2", 1}));
    EXPECT_EQ(seen[1], (std::pair<std::string, std::uint64_t>{"b:3:4", 2}));
    EXPECT_EQ(seen[2], (std::pair<std::string, std::uint64_t>{"", 3}));
    EXPECT_EQ(seen[3], (std::pair<std::string, std::uint64_t>{"last", 4}));
}

TEST(LineSplitter, TooLongLinesAreFlaggedNotKept)
{
    std::vector<Line> seen;
    std::vector<std::string> texts;
    LineSplitter lines(8);
    auto take = [&](const Line& l) {
        seen.push_back(l);
        texts.emplace_back(l.text);
    };
    lines.feed("12345678\n123456789\n", take);
    lines.feed(std::string(1000, 'x'), take);
    lines.feed(std::string(1000, 'y') + "\nok\n", take);
    lines.feed("1234", take);
    lines.feed("56789", take);
    lines.finish(take);
    ASSERT_EQ(seen.size(), 5U);
    EXPECT_FALSE(seen[0].too_long);
    EXPECT_EQ(texts[0], "12345678");
    EXPECT_TRUE(seen[1].too_long);
    EXPECT_TRUE(seen[2].too_long);
    EXPECT_EQ(texts[2], "");
    EXPECT_FALSE(seen[3].too_long);
    EXPECT_EQ(texts[3], "ok");
    EXPECT_TRUE(seen[4].too_long);
    EXPECT_EQ(seen[4].number, 5U);
}

TEST(LineSplitter, AnyChunkingGivesTheSameLines)
{
    std::mt19937 random(12345);
    const std::string text = "alice:1:2\n\n# c\nbob:3:4\nx\ny:5:6";
    std::vector<std::string> whole;
    {
        LineSplitter lines(64);
        auto take = [&](const Line& l) { whole.emplace_back(l.text); };
        lines.feed(text, take);
        lines.finish(take);
    }
    ASSERT_EQ(whole.size(), 6U);
    for (int round = 0; round < 500; ++round) {
        std::vector<std::string> pieces;
        LineSplitter lines(64);
        auto take = [&](const Line& l) { pieces.emplace_back(l.text); };
        std::size_t pos = 0;
        while (pos < text.size()) {
            const std::size_t n = std::uniform_int_distribution<std::size_t>(0, 7)(random);
            lines.feed(std::string_view(text).substr(pos, n), take);
            pos += n;
        }
        lines.finish(take);
        EXPECT_EQ(pieces, whole);
    }
}

TEST(SubidScan, CoversFromTheCallersEntriesOnly)
{
    const std::vector<IdRange> wanted{{100000, 65536}, {300000, 10}};
    std::vector<std::string> asked;
    SubidScan scan(wanted, [&](std::string_view owner) {
        asked.emplace_back(owner);
        return owner == "alice";
    });
    scan.feed("bob:100000:65536\n");           // overlaps, not alice
    scan.feed("alice:100000:30000\n");         // first part
    scan.feed("alice:500000:10\n");            // far away: owner never asked
    scan.feed("carol:900000:10\n");            // far away: owner never asked
    scan.feed("alice:130000:35536\nalice:3");  // rest, adjacent; split line
    scan.feed("00000:5\n");
    scan.finish();
    ASSERT_EQ(scan.coverage().size(), 2U);
    EXPECT_TRUE(scan.coverage()[0].complete());
    EXPECT_FALSE(scan.coverage()[1].complete());
    EXPECT_EQ(scan.coverage()[1].first_gap(), 300005U);
    EXPECT_EQ(asked, (std::vector<std::string>{"bob", "alice", "alice", "alice"}));
}

TEST(SubidScan, InvalidAndTooLongLinesGrantNothing)
{
    const std::vector<IdRange> wanted{{0, 10}};
    SubidScan scan(wanted, [](std::string_view) { return true; });
    scan.feed("alice:0:0\nalice:0:10\r\nalice:00:10\n");
    scan.feed("alice:0:10" + std::string(max_subid_line, ' ') + "\n");
    scan.finish();
    EXPECT_FALSE(scan.coverage()[0].complete());
}

TEST(SubidScan, LastLineWithoutNewline)
{
    const std::vector<IdRange> wanted{{0, 10}};
    SubidScan scan(wanted, [](std::string_view) { return true; });
    scan.feed("alice:0:10");
    scan.finish();
    EXPECT_TRUE(scan.coverage()[0].complete());
}
